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
        first.PadRight(12) + string.Concat(cells.Select(c => c.PadRight(42)));
}
