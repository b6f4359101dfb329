using System.Globalization;

namespace IotPlayground.ColdStartBench;

internal static class Report
{
    public static void Print(IReadOnlyDictionary<Build, List<TimeSpan>> results, string dynamoDbEndpoint)
    {
        var builds = results.Keys.ToList();
        Console.WriteLine($"Cold start of the run function: bootstrap process start -> first answer (POST /api/runs/start, 201, written to {dynamoDbEndpoint})");
        Console.WriteLine(Row("repetition", builds.Select(b => $"{b.Name} ({b.Description})")));
        var repetitions = results[builds[0]].Count;
        for (var i = 0; i < repetitions; i++)
        {
            Console.WriteLine(Row((i + 1).ToString(CultureInfo.InvariantCulture), builds.Select(b => Ms(results[b][i]))));
        }

        var medians = builds.ToDictionary(b => b, b => Median(results[b]));
        Console.WriteLine(Row("median", builds.Select(b => Ms(medians[b]))));
        var published = medians[builds[0]];
        var jit = medians[builds[1]];
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"ratio {builds[1].Name} / {builds[0].Name} (medians): {jit.TotalMilliseconds / published.TotalMilliseconds:0.00}x"));
    }

    private static TimeSpan Median(List<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Ms(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{value.TotalMilliseconds:0} ms");

    private static string Row(string first, IEnumerable<string> cells) =>
        first.PadRight(12) + string.Concat(cells.Select(c => c.PadRight(48)));
}
