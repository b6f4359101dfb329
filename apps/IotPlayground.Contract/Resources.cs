using IotPlayground.Domain;

namespace IotPlayground.Contract;

public sealed record RunParamsResource(int SensorCount, IReadOnlyList<string> Measures);

public sealed record RunResource(
    Guid Id,
    string Username,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int Duration,
    int Interval,
    RunParamsResource Params,
    string GrafanaUrl,
    string? EndReason)
{
    public static RunResource From(Run run, GrafanaLinks links)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(links);
        return new(
            run.Id,
            run.Username,
            WireNames.Of(run.Status),
            run.StartedAt,
            run.FinishedAt,
            run.Duration,
            run.Interval,
            new RunParamsResource(run.Params.SensorCount, run.Params.Measures.Select(Measures.NameOf).ToList()),
            links.ForRun(run),
            run.EndReason is { } reason ? WireNames.Of(reason) : null);
    }
}

public sealed record QuotaResource(bool CanStart, int CurrentRunning, int MaxAllowed)
{
    public static QuotaResource From(QuotaStatus quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
        return new(quota.CanStart, quota.CurrentRunning, quota.MaxAllowed);
    }
}

public sealed record InterruptedResource(int Interrupted);

public sealed record PageResource<T>(IReadOnlyList<T> Items, string? NextCursor);

public sealed record ReadingResource(
    Guid RunId,
    string SensorId,
    DateTimeOffset Timestamp,
    double Temperature,
    double? Humidity,
    double? Pressure)
{
    public static ReadingResource From(SensorReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        return new(reading.RunId, reading.SensorId, reading.Timestamp, reading.Temperature, reading.Humidity, reading.Pressure);
    }
}

/// <summary>The batch form of POST /api/sensors/data, both as sent and as answered.</summary>
public sealed record ReadingBatchBody(IReadOnlyList<ReadingInput?>? Readings);

public sealed record ReadingBatchResource(IReadOnlyList<ReadingResource> Readings);

public sealed record HealthResource(string Status, string Store);

/// <summary>An RFC 9457 problem, with the contract's stable <see cref="Code"/>.</summary>
public sealed record ProblemResource(
    string Type,
    string Title,
    int Status,
    string Detail,
    string Code,
    IReadOnlyDictionary<string, string[]>? Errors = null);
