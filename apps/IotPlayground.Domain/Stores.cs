namespace IotPlayground.Domain;

/// <summary>Where runs are kept. Implementations must make <see cref="TryStartAsync"/> atomic against concurrent starts.</summary>
public interface IRunStore
{
    /// <summary>
    /// The quota the store was configured with: how many RUNNING runs may hold a slot at once, all users together
    /// (<see cref="RunRules.MaxRunning"/> behind both backends; <see cref="RunRules.NoQuota"/> for a store that holds none).
    /// </summary>
    int MaxRunning { get; }

    /// <summary>
    /// Stores <paramref name="run"/> as RUNNING if fewer than <see cref="MaxRunning"/> runs hold a slot at
    /// <paramref name="now"/> (a RUNNING run past its deadline holds none); false when the quota is reached.
    /// </summary>
    Task<bool> TryStartAsync(Run run, DateTimeOffset now, CancellationToken cancellationToken);

    Task<Run?> FindAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>Every RUNNING run, those past their deadline too: the sweep finds the runs it closes here.</summary>
    Task<IReadOnlyList<Run>> ListRunningAsync(CancellationToken cancellationToken);

    /// <summary>Stores the end of a run only if it is still RUNNING; false when it had already ended.</summary>
    Task<bool> TryEndAsync(Run ended, CancellationToken cancellationToken);

    /// <summary>Newest first (started-at, then id, both descending), strictly after <paramref name="after"/>.</summary>
    Task<IReadOnlyList<Run>> ListNewestAsync(int limit, RunCursor? after, CancellationToken cancellationToken);
}

/// <summary>Where readings are kept. A reading is keyed by run, sensor and timestamp: storing it again replaces it.</summary>
public interface ISensorDataStore
{
    /// <summary>
    /// Stores one or more readings, all of them or none, if each one's run takes it at <paramref name="now"/>
    /// (<see cref="Run.TakesReading"/>). The store checks the runs with its write, in the same statement where it can,
    /// so that ingestion needs no read of its own. False when a run is missing or refuses a reading: nothing is stored
    /// then, and the caller finds out why. Throws when the store fails: a batch is never acknowledged in part.
    /// </summary>
    Task<bool> TryAddAsync(IReadOnlyList<SensorReading> readings, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="limit"/> readings of one run in time order (timestamp, then sensor id), strictly after the
    /// query's cursor. A store that bounds what one request reads may stop short of the limit, saying where it stopped.
    /// </summary>
    Task<ReadingSlice> QueryAsync(ReadingQuery query, int limit, CancellationToken cancellationToken);
}

public sealed record ReadingQuery(Guid RunId, string? SensorId, DateTimeOffset? From, DateTimeOffset? To, ReadingCursor? After);

/// <summary>
/// What a query found, and, when the store stopped reading before it found its limit, the key it read up to: the
/// next page continues strictly after it.
/// </summary>
public sealed record ReadingSlice(IReadOnlyList<SensorReading> Readings, ReadingCursor? ReadUpTo = null);

/// <summary>
/// Whether a store can be reached now: what /health answers on either backend. Each store project has one, and its
/// registration hands it to the host with the stores.
/// </summary>
public interface IStoreProbe
{
    /// <summary>Returns when the store answers a read; throws <see cref="StoreUnavailableException"/> when it does not.</summary>
    Task CheckReachableAsync(CancellationToken cancellationToken);
}

/// <summary>Thrown by a store that cannot be reached; the caller answers 503 and nothing is acknowledged.</summary>
public sealed class StoreUnavailableException(string message, Exception innerException) : Exception(message, innerException);

/// <summary>What the hosts count and export; the container API to Prometheus, the Lambdas to CloudWatch.</summary>
public interface IRunMetrics
{
    void RunStarted(Run run);

    void RunEnded(Run run);

    void ReadingsIngested(IReadOnlyList<SensorReading> readings);
}
