namespace IotPlayground.Compare;

/// <summary>A backend under comparison: its name in the report, where it answers, and how it was built.</summary>
public sealed record BackendTarget(string Name, Uri BaseUrl, string Build)
{
    /// <summary>The backend's own counters of the usage that drives its cost; null where the tool cannot read them.</summary>
    public IUsageSource? Usage { get; init; }

    /// <summary>Why the backend's own counters are not measured, for a target without <see cref="Usage"/>.</summary>
    public string? UsageNotMeasured { get; init; }
}

/// <summary>One endpoint's latency, each figure the median over the repetitions, and its cold-start requests.</summary>
public sealed record EndpointFigures(string Endpoint, LatencySummary Latency, IReadOnlyList<double> ColdStartLatenciesMs);

/// <summary>Answers that were not a success: by endpoint, status (0 for none) and problem code.</summary>
public sealed record ErrorCount(string Endpoint, int Status, string Code, int Count);

public sealed record BackendFigures(
    string Backend,
    string Url,
    string Build,
    int Repetitions,
    double RequestsPerSecond,
    double ReadingsPerSecond,
    IReadOnlyList<EndpointFigures> Endpoints,
    IReadOnlyList<ErrorCount> Errors,
    int ColdStarts,
    UsageFigures Usage,
    IReadOnlyList<int> RequestsEachSecond,
    IReadOnlyDictionary<string, IReadOnlyList<double>> LatenciesMs)
{
    /// <summary>The figures of <paramref name="repetitions"/> of one profile against one backend.</summary>
    public static BackendFigures From(BackendTarget target, WorkloadProfile profile, IReadOnlyList<RepetitionResult> repetitions)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(repetitions);
        var samples = repetitions.SelectMany(r => r.Samples).ToList();
        var endpoints = samples.Select(s => s.Endpoint).Distinct().Order(StringComparer.Ordinal).Select(endpoint =>
        {
            var perRepetition = repetitions
                .Select(r => r.Samples.Where(s => s.Endpoint == endpoint && IsSuccess(s)).Select(s => s.LatencyMs).ToList())
                .Where(latencies => latencies.Count > 0)
                .Select(latencies => LatencySummary.Of(latencies))
                .ToList();
            var cold = samples.Where(s => s.Endpoint == endpoint && s.ColdStart).Select(s => s.LatencyMs).ToList();
            return perRepetition.Count == 0 ? null : new EndpointFigures(endpoint, LatencySummary.MedianOf(perRepetition), cold);
        }).OfType<EndpointFigures>().ToList();

        var errors = samples.Where(s => !IsSuccess(s))
            .GroupBy(s => (s.Endpoint, s.Status, Code: s.Code ?? ""))
            .Select(g => new ErrorCount(g.Key.Endpoint, g.Key.Status, g.Key.Code, g.Count()))
            .OrderBy(e => e.Endpoint, StringComparer.Ordinal).ThenBy(e => e.Status)
            .ToList();

        var first = repetitions[0];
        var seconds = (int)Math.Ceiling(first.WallSeconds);
        var eachSecond = new int[Math.Max(seconds, 1)];
        foreach (var sample in first.Samples)
        {
            eachSecond[Math.Min((int)sample.SentAtSeconds, eachSecond.Length - 1)]++;
        }

        return new BackendFigures(
            target.Name,
            target.BaseUrl.ToString(),
            target.Build,
            repetitions.Count,
            Statistics.Median([.. repetitions.Select(r => r.Samples.Count / r.WallSeconds)]),
            Statistics.Median([.. repetitions.Select(r => r.ReadingsAcknowledged / r.WallSeconds)]),
            endpoints,
            errors,
            samples.Count(s => s.ColdStart),
            UsageFigures.Of(profile, repetitions),
            eachSecond,
            samples.Where(IsSuccess).GroupBy(s => s.Endpoint)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<double>)[.. g.Select(s => s.LatencyMs)], StringComparer.Ordinal));
    }

    private static bool IsSuccess(RequestSample sample) => sample.Status is >= 200 and < 300;
}

public sealed record ProfileFigures(WorkloadProfile Profile, IReadOnlyList<BackendFigures> Backends);

/// <summary>Where and when the comparison ran, so that a reader can weigh its figures.</summary>
public sealed record MachineInfo(string Os, int Processors, string Runtime, string? Commit)
{
    public static MachineInfo Current(string? commit) => new(
        System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        Environment.ProcessorCount,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        commit);
}

/// <summary>One profile's figures as the Markdown summary, the HTML page and the web page show them.</summary>
public sealed record ReportTable(string Profile, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows);

public sealed record ComparisonReport(DateTimeOffset Date, MachineInfo Machine, IReadOnlyList<ProfileFigures> Profiles)
{
    /// <summary>Written into the JSON too, so that the web page shows the same tables without computing them again.</summary>
    public IReadOnlyList<ReportTable> Tables => [.. Profiles.Select(ReportWriter.TableOf)];
}
