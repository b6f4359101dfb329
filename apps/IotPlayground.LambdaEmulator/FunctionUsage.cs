using System.Text.Json;

namespace IotPlayground.LambdaEmulator;

/// <summary>A function's usage since its host started: what Lambda bills and what CloudWatch would hold for it.</summary>
/// <param name="BilledMs">Each invocation's duration rounded up to the next millisecond, and for a cold start its init too, as Lambda bills a custom runtime.</param>
/// <param name="Metrics">The sum of each Embedded Metric Format metric the function logged, by name.</param>
public sealed record FunctionUsageSnapshot(
    long Invocations,
    double DurationMs,
    long BilledMs,
    int ColdStarts,
    double InitMs,
    IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// Counts a function's invocations as Lambda bills them (each answered invocation's duration, from its hand-over to
/// the runtime until the runtime's answer, rounded up to 1 ms; a cold start's init billed with it), and sums the
/// metrics of the Embedded Metric Format lines the function writes, as CloudWatch extracts them from its log.
/// </summary>
public sealed class FunctionUsage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double> _metrics = new(StringComparer.Ordinal);
    private long _invocations;
    private double _durationMs;
    private long _billedMs;
    private int _coldStarts;
    private double _initMs;

    public FunctionUsageSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new FunctionUsageSnapshot(_invocations, _durationMs, _billedMs, _coldStarts, _initMs, new Dictionary<string, double>(_metrics, StringComparer.Ordinal));
        }
    }

    /// <summary>Lambda's billed duration of one invocation: its duration, plus the init of the cold start it met, rounded up to a millisecond.</summary>
    public static long BilledMsOf(TimeSpan duration, TimeSpan? init) =>
        (long)Math.Ceiling((duration + (init ?? TimeSpan.Zero)).TotalMilliseconds);

    /// <summary>
    /// The metrics of one line of the function's output, when it is an EMF document: an object whose <c>_aws</c>
    /// member lists metric names under <c>CloudWatchMetrics[].Metrics[].Name</c>, each value a number (or an array of
    /// them) at the top level. Any other line, or a malformed one, holds none, as CloudWatch then extracts none.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, double>> MetricsOf(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!line.StartsWith('{') || !line.Contains("\"_aws\"", StringComparison.Ordinal))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (!root.TryGetProperty("_aws", out var aws) || aws.ValueKind != JsonValueKind.Object
                || !aws.TryGetProperty("CloudWatchMetrics", out var directives) || directives.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            var metrics = new List<KeyValuePair<string, double>>();
            foreach (var directive in directives.EnumerateArray())
            {
                if (directive.ValueKind != JsonValueKind.Object || !directive.TryGetProperty("Metrics", out var definitions) || definitions.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var definition in definitions.EnumerateArray())
                {
                    if (definition.ValueKind == JsonValueKind.Object
                        && definition.TryGetProperty("Name", out var name) && name.GetString() is { } metric
                        && root.TryGetProperty(metric, out var value))
                    {
                        metrics.Add(new(metric, Sum(value)));
                    }
                }
            }

            return metrics;
        }
        catch (JsonException)
        {
            return [];
        }
    }

    internal void Invoked(TimeSpan duration, ColdStart? coldStart)
    {
        lock (_gate)
        {
            _invocations++;
            _durationMs += duration.TotalMilliseconds;
            _billedMs += BilledMsOf(duration, coldStart?.Init);
            if (coldStart is not null)
            {
                _coldStarts++;
                _initMs += coldStart.Init.TotalMilliseconds;
            }
        }
    }

    internal void Logged(string line)
    {
        var metrics = MetricsOf(line);
        if (metrics.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var (name, value) in metrics)
            {
                _metrics[name] = _metrics.GetValueOrDefault(name) + value;
            }
        }
    }

    private static double Sum(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Sum(v => v.GetDouble()),
        _ => 0,
    };
}
