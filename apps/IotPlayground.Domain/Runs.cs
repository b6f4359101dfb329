namespace IotPlayground.Domain;

public enum RunStatus
{
    Running,
    Completed,
    Interrupted,
    Failed,
}

public enum EndReason
{
    Finished,
    Interrupted,
    Expired,
    Error,
}

/// <summary>The measures a simulated sensor can report; temperature is always reported.</summary>
public enum Measure
{
    Temperature,
    Humidity,
    Pressure,
}

public sealed record RunParams(int SensorCount, IReadOnlyList<Measure> Measures)
{
    public static RunParams Default { get; } = new(1, [Measure.Temperature]);

    public bool Equals(RunParams? other) =>
        other is not null && SensorCount == other.SensorCount && Measures.SequenceEqual(other.Measures);

    public override int GetHashCode() => HashCode.Combine(SensorCount, Measures.Count);
}

/// <summary>A sensor simulation: one reading per sensor every <see cref="Interval"/> seconds for <see cref="Duration"/> seconds.</summary>
public sealed record Run(
    Guid Id,
    string Username,
    RunStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    int Duration,
    int Interval,
    RunParams Params,
    EndReason? EndReason)
{
    /// <summary>After this instant a RUNNING run no longer holds a quota slot: its client went away.</summary>
    public DateTimeOffset Deadline => RunRules.DeadlineOf(StartedAt, Duration, Interval);

    public bool IsOverdueAt(DateTimeOffset now) => Status == RunStatus.Running && now > Deadline;

    /// <summary>The earliest timestamp a reading of the run may carry: its start, less the clock skew a sensor is allowed.</summary>
    public DateTimeOffset EarliestReading => StartedAt - SensorReadings.MaxClockSkew;

    /// <summary>
    /// Whether a reading taken at <paramref name="timestamp"/> that arrives at <paramref name="now"/> belongs to the run:
    /// the run is RUNNING, <paramref name="now"/> is within its deadline, and the reading is not before
    /// <see cref="EarliestReading"/>. Every store's <see cref="ISensorDataStore.TryAddAsync"/> keeps to this rule.
    /// </summary>
    public bool TakesReading(DateTimeOffset timestamp, DateTimeOffset now) =>
        Status == RunStatus.Running && now <= Deadline && timestamp >= EarliestReading;

    /// <summary>Readings a run is meant to receive: one per sensor per interval.</summary>
    public int ExpectedReadings => Params.SensorCount * (Duration / Interval);

    public static Run Start(Guid id, string username, DateTimeOffset startedAt, RunRequest request) =>
        new(id, username, RunStatus.Running, Timestamps.Truncate(startedAt), null, request.Duration, request.Interval, request.Params, null);

    public Run End(RunStatus status, EndReason reason, DateTimeOffset finishedAt) =>
        this with { Status = status, EndReason = reason, FinishedAt = Timestamps.Truncate(finishedAt) };

    /// <summary>How an overdue run is closed: completed at its deadline, not at the moment somebody noticed.</summary>
    public Run Expire() => End(RunStatus.Completed, Domain.EndReason.Expired, Deadline);
}

/// <summary>A validated start request.</summary>
public sealed record RunRequest(int Duration, int Interval, RunParams Params);

public sealed record QuotaStatus(bool CanStart, int CurrentRunning, int MaxAllowed);
