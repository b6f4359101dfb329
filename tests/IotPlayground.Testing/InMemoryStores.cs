using IotPlayground.Domain;

namespace IotPlayground.Testing;

/// <summary>
/// The stores in memory, for tests of what sits on them (the domain services, the functions' HTTP mapping): they keep
/// every promise of <see cref="IRunStore"/> and <see cref="ISensorDataStore"/>, which the store conformance suite
/// checks of them as of the real ones. One lock makes each call atomic, as a transaction makes it in a real store.
/// </summary>
public sealed class InMemoryStores : IStoreProbe
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Run> _runs = [];
    private readonly SortedDictionary<(Guid RunId, DateTimeOffset Timestamp, string SensorId), SensorReading> _readings =
        new(Comparer<(Guid RunId, DateTimeOffset Timestamp, string SensorId)>.Create(CompareReadingKeys));

    public InMemoryStores(int maxRunning = RunRules.MaxRunning)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRunning, 1);
        Runs = new RunStore(this, maxRunning);
        Readings = new SensorDataStore(this);
    }

    public IRunStore Runs { get; }

    public ISensorDataStore Readings { get; }

    /// <summary>While true, every call throws <see cref="StoreUnavailableException"/>, as a real store that went away does.</summary>
    public bool Unreachable { get; set; }

    public Task CheckReachableAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnreachable();
        return Task.CompletedTask;
    }

    private static int CompareReadingKeys((Guid RunId, DateTimeOffset Timestamp, string SensorId) a, (Guid RunId, DateTimeOffset Timestamp, string SensorId) b)
    {
        var byRun = a.RunId.CompareTo(b.RunId);
        if (byRun != 0)
        {
            return byRun;
        }

        var byTime = a.Timestamp.CompareTo(b.Timestamp);
        return byTime != 0 ? byTime : string.CompareOrdinal(a.SensorId, b.SensorId);
    }

    private void ThrowIfUnreachable()
    {
        if (Unreachable)
        {
            throw new StoreUnavailableException("The in-memory store is set unreachable.", new IOException("unreachable"));
        }
    }

    private T Locked<T>(Func<T> work)
    {
        ThrowIfUnreachable();
        lock (_gate)
        {
            return work();
        }
    }

    private sealed class RunStore(InMemoryStores stores, int maxRunning) : IRunStore
    {
        public int MaxRunning => maxRunning;

        public Task<bool> TryStartAsync(Run run, DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(stores.Locked(() =>
        {
            ArgumentNullException.ThrowIfNull(run);
            if (stores._runs.ContainsKey(run.Id))
            {
                throw new InvalidOperationException($"Run {run.Id} is stored already.");
            }

            if (maxRunning != RunRules.NoQuota && stores._runs.Values.Count(r => r.Status == RunStatus.Running && !r.IsOverdueAt(now)) >= maxRunning)
            {
                return false;
            }

            stores._runs[run.Id] = run;
            return true;
        }));

        public Task<Run?> FindAsync(Guid id, CancellationToken cancellationToken) =>
            Task.FromResult(stores.Locked(() => stores._runs.GetValueOrDefault(id)));

        public Task<IReadOnlyList<Run>> ListRunningAsync(CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Run>>(stores.Locked(() => stores._runs.Values.Where(r => r.Status == RunStatus.Running).ToList()));

        public Task<bool> TryEndAsync(Run ended, CancellationToken cancellationToken) => Task.FromResult(stores.Locked(() =>
        {
            ArgumentNullException.ThrowIfNull(ended);
            if (stores._runs.GetValueOrDefault(ended.Id)?.Status != RunStatus.Running)
            {
                return false;
            }

            stores._runs[ended.Id] = ended;
            return true;
        }));

        public Task<IReadOnlyList<Run>> ListNewestAsync(int limit, RunCursor? after, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Run>>(stores.Locked(() => stores._runs.Values
                .Where(r => after is null || r.StartedAt < after.StartedAt || (r.StartedAt == after.StartedAt && r.Id.CompareTo(after.Id) < 0))
                .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id)
                .Take(limit)
                .ToList()));
    }

    private sealed class SensorDataStore(InMemoryStores stores) : ISensorDataStore
    {
        public Task<bool> TryAddAsync(IReadOnlyList<SensorReading> readings, DateTimeOffset now, CancellationToken cancellationToken) =>
            Task.FromResult(stores.Locked(() =>
            {
                ArgumentNullException.ThrowIfNull(readings);
                ArgumentOutOfRangeException.ThrowIfZero(readings.Count);

                // As PostgreSQL refuses a NUL character in text: the whole batch fails.
                if (readings.FirstOrDefault(r => r.SensorId.Contains('\0', StringComparison.Ordinal)) is { } unstorable)
                {
                    throw new ArgumentException($"Sensor id '{unstorable.SensorId}' holds a NUL character; no reading of the batch was stored.", nameof(readings));
                }

                if (!readings.All(r => stores._runs.GetValueOrDefault(r.RunId) is { } run && run.TakesReading(r.Timestamp, now)))
                {
                    return false;
                }

                foreach (var reading in readings)
                {
                    stores._readings[(reading.RunId, reading.Timestamp, reading.SensorId)] = reading;
                }

                return true;
            }));

        public Task<ReadingSlice> QueryAsync(ReadingQuery query, int limit, CancellationToken cancellationToken) => Task.FromResult(stores.Locked(() =>
        {
            ArgumentNullException.ThrowIfNull(query);
            var found = stores._readings.Values
                .Where(r => r.RunId == query.RunId
                    && (query.SensorId is null || r.SensorId == query.SensorId)
                    && (query.From is null || r.Timestamp >= query.From)
                    && (query.To is null || r.Timestamp <= query.To)
                    && (query.After is null
                        || r.Timestamp > query.After.Timestamp
                        || (r.Timestamp == query.After.Timestamp && string.CompareOrdinal(r.SensorId, query.After.SensorId) > 0)))
                .Take(limit)
                .ToList();
            return new ReadingSlice(found);
        }));
    }
}
