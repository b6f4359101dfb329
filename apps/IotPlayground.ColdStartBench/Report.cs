using System.Globalization;

namespace IotPlayground.ColdStartBench;

internal static class Report
{
    public static void Print(IReadOnlyDictionary<Build, List<ColdStart>> results, string dynamoDbEndpoint)
    {
        Console.WriteLine($"Cold start: bootstrap process start -> first answer through the Runtime API (DynamoDB at {dynamoDbEndpoint})");
        Console.WriteLine("  RunApi: POST /api/runs/start (201); SensorApi: POST /api/sensors/data (201). Repetitions alternate between builds.");
        foreach (var function in results.Keys.Select(b => b.Function).Distinct())
        {
            var builds = results.Keys.Where(b => b.Function == function).ToList();
            var medians = builds.ToDictionary(b => b.Kind, b => Median(results[b].Select(c => c.Elapsed.TotalMilliseconds)));
            Console.WriteLine();
            Console.WriteLine($"{function.Name}");
            Console.WriteLine(Row("repetition", builds.Select(b => $"{b.Kind.Name} ({b.Kind.Description})")));
            for (var i = 0; i < results[builds[0]].Count; i++)
            {
                Console.WriteLine(Row((i + 1).ToString(CultureInfo.InvariantCulture), builds.Select(b => Ms(results[b][i].Elapsed.TotalMilliseconds))));
            }

            Console.WriteLine(Row("median", builds.Select(b => Ms(medians[b.Kind]))));
            Console.WriteLine(Row("peak RSS", builds.Select(b => Mb(Median(results[b].Select(c => (double)c.PeakResidentBytes))) + " (median VmHWM)")));
            Console.WriteLine(Row("package", builds.Select(b => $"{Mb(b.PackageBytes)}, {Mb(b.ZippedBytes)} zipped")));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"ratios of medians: aot / jit {Ratio(medians, Builds.Aot, Builds.Jit)}, aot / readytorun {Ratio(medians, Builds.Aot, Builds.ReadyToRun)}, " +
                $"readytorun / jit {Ratio(medians, Builds.ReadyToRun, Builds.Jit)}"));
        }
    }

    public static void PrintSizing(IReadOnlyList<(Build Build, LambdaSize Size, WarmInstance Instance)> sizing, string? noSizing)
    {
        Console.WriteLine();
        if (noSizing is not null && sizing.Count == 0)
        {
            Console.WriteLine($"Memory settings: not measured, {noSizing}.");
            return;
        }

        Console.WriteLine($"Memory settings (Native AOT, one instance; CPU = memory / {LambdaSize.MegabytesPerVcpu} MB of one vCPU, memory limited): " +
            "cold start, then sequential warm invocations");
        Console.WriteLine("function    memory  vCPU   cold start  warm p50  warm p99  CPU/invocation  peak RSS   GB-s per 1M (p50)");
        foreach (var (build, size, instance) in sizing)
        {
            var warm = instance.Warm.Select(w => w.TotalMilliseconds).ToList();
            var p50 = warm.Count > 0 ? Median(warm) : double.NaN;
            var gbSecondsPerMillion = p50 / 1000 * size.MemoryMiB / 1024 * 1_000_000;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{build.Function.Name,-11} {size.MemoryMiB,4} MB  {size.Vcpu,5:0.000}  {Ms(instance.ColdStart.TotalMilliseconds),10}  {Ms(p50),8}  {Ms(Percentile(warm, 0.99)),8}  {instance.CpuPerInvocation.TotalMilliseconds,11:0.0} ms  {Mb(instance.PeakResidentBytes),9}  {gbSecondsPerMillion,10:0}");
            Console.WriteLine(instance.Failure is null ? line : $"{line}  stopped after {warm.Count} warm invocations: {instance.Failure}");
        }
    }

    private static double Percentile(List<double> values, double fraction)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(fraction * sorted.Count) - 1)];
    }

    private static string Ratio(Dictionary<BuildKind, double> medians, BuildKind numerator, BuildKind denominator) =>
        (medians[numerator] / medians[denominator]).ToString("0.00", CultureInfo.InvariantCulture);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Ms(double milliseconds) => string.Create(CultureInfo.InvariantCulture, $"{milliseconds:0} ms");

    private static string Mb(double bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1_048_576:0.0} MiB");

    private static string Row(string first, IEnumerable<string> cells) =>
        first.PadRight(12) + string.Concat(cells.Select(c => c.PadRight(50)));
}
