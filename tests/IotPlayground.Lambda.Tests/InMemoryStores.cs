using IotPlayground.Domain;

namespace IotPlayground.Lambda.Tests;

/// <summary>Stores for handler tests, where what matters is the HTTP mapping, not DynamoDB (the contract tests cover that).</summary>
internal sealed class InMemoryRunStore : IRunStore
{
    private readonly Dictionary<Guid, Run> _runs = [];

    public Task<bool> TryStartAsync(Run run, int maxRunning, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_runs)
        {
            if (_runs.Values.Count(r => r.Status == RunStatus.Running && !r.IsOverdueAt(now)) >= maxRunning)
            {
                return Task.FromResult(false);
            }

            _runs[run.Id] = run;
            return Task.FromResult(true);
        }
    }

    public Task<Run?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        lock (_runs)
        {
            return Task.FromResult(_runs.GetValueOrDefault(id));
        }
    }

    public Task<IReadOnlyList<Run>> ListRunningAsync(CancellationToken cancellationToken)
    {
        lock (_runs)
        {
            return Task.FromResult<IReadOnlyList<Run>>(_runs.Values.Where(r => r.Status == RunStatus.Running).ToList());
        }
    }

    public Task<bool> TryEndAsync(Run ended, CancellationToken cancellationToken)
    {
        lock (_runs)
        {
            if (_runs.GetValueOrDefault(ended.Id)?.Status != RunStatus.Running)
            {
                return Task.FromResult(false);
            }

            _runs[ended.Id] = ended;
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<Run>> ListNewestAsync(int limit, RunCursor? after, CancellationToken cancellationToken)
    {
        lock (_runs)
        {
            return Task.FromResult<IReadOnlyList<Run>>(_runs.Values
                .OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id.ToString())
                .Where(r => after is null || r.StartedAt < after.StartedAt)
                .Take(limit)
                .ToList());
        }
    }
}

internal sealed class InMemorySensorDataStore : ISensorDataStore
{
    private readonly List<SensorReading> _readings = [];

    public Task AddAsync(IReadOnlyList<SensorReading> readings, CancellationToken cancellationToken)
    {
        lock (_readings)
        {
            _readings.AddRange(readings);
        }

        return Task.CompletedTask;
    }

    public Task<ReadingSlice> QueryAsync(ReadingQuery query, int limit, CancellationToken cancellationToken)
    {
        lock (_readings)
        {
            return Task.FromResult(new ReadingSlice(_readings.Where(r => r.RunId == query.RunId).OrderBy(r => r.Timestamp).Take(limit).ToList()));
        }
    }
}
