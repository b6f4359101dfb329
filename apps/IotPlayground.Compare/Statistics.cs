namespace IotPlayground.Compare;

/// <summary>Percentiles and medians as the report gives them.</summary>
public static class Statistics
{
    /// <summary>
    /// The <paramref name="percent"/>th percentile of <paramref name="values"/>, interpolated linearly between the two
    /// closest ranks (the method of most statistics packages' default, e.g. R's type 7 and NumPy's "linear"), so that
    /// it moves smoothly with the data rather than jumping from sample to sample.
    /// </summary>
    public static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        if (values.Count == 0)
        {
            throw new ArgumentException("No values to take a percentile of.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var rank = percent / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    public static double Median(IReadOnlyCollection<double> values) => Percentile(values, 50);
}

/// <summary>A latency distribution in milliseconds.</summary>
public sealed record LatencySummary(int Count, double P50, double P95, double P99, double Max)
{
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds) => new(
        milliseconds.Count,
        Statistics.Percentile(milliseconds, 50),
        Statistics.Percentile(milliseconds, 95),
        Statistics.Percentile(milliseconds, 99),
        milliseconds.Max());

    /// <summary>Each figure the median of that figure over the repetitions, so that one noisy repetition does not decide.</summary>
    public static LatencySummary MedianOf(IReadOnlyCollection<LatencySummary> repetitions) => new(
        (int)Math.Round(Statistics.Median([.. repetitions.Select(r => (double)r.Count)])),
        Statistics.Median([.. repetitions.Select(r => r.P50)]),
        Statistics.Median([.. repetitions.Select(r => r.P95)]),
        Statistics.Median([.. repetitions.Select(r => r.P99)]),
        Statistics.Median([.. repetitions.Select(r => r.Max)]));
}
