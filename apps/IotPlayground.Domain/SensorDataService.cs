namespace IotPlayground.Domain;

/// <summary>Reading ingestion and queries, the same behind the container API and the sensor Lambda.</summary>
public sealed class SensorDataService(IRunStore runs, ISensorDataStore readings, RunService runService, IRunMetrics metrics)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1_000;

    /// <summary>
    /// Stores valid readings all-or-nothing: each one's run must be RUNNING and within its deadline when they arrived.
    /// The store checks the runs with its write; only when it refuses are the runs read, to say why (and to close a
    /// run found past its deadline).
    /// </summary>
    public async Task<Outcome<IReadOnlyList<SensorReading>>> IngestAsync(ReceivedReadings received, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        var (validated, now) = received;
        if (await readings.TryAddAsync(validated, now, cancellationToken).ConfigureAwait(false))
        {
            metrics.ReadingsIngested(validated);
            return validated.ToList();
        }

        foreach (var runId in validated.Select(r => r.RunId).Distinct())
        {
            if (await CheckTakesReadingsAsync(runId, validated, now, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                return refusal;
            }
        }

        // A run only ever stops taking readings, so the one that refused them still does.
        throw new InvalidOperationException("The store refused readings whose runs all take them; nothing was stored.");
    }

    public async Task<Outcome<Page<SensorReading>>> QueryAsync(ReadingQuery query, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (await runs.FindAsync(query.RunId, cancellationToken).ConfigureAwait(false) is null)
        {
            return DomainError.RunNotFound(query.RunId);
        }

        var found = await readings.QueryAsync(query, pageSize + 1, cancellationToken).ConfigureAwait(false);
        var items = found.Readings.Take(pageSize).ToList();
        var next = found.Readings.Count > pageSize ? new ReadingCursor(items[^1].Timestamp, items[^1].SensorId).Encode() : found.ReadUpTo?.Encode();
        return new Page<SensorReading>(items, next);
    }

    private async Task<DomainError?> CheckTakesReadingsAsync(
        Guid runId, IReadOnlyList<SensorReading> batch, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stored = await runs.FindAsync(runId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return DomainError.RunNotFound(runId);
        }

        var run = await runService.SettleAsync(stored, cancellationToken).ConfigureAwait(false);
        if (run.Status != RunStatus.Running || now > run.Deadline)
        {
            return RunService.NotRunning(runId);
        }

        return batch.Any(r => r.RunId == runId && r.Timestamp < run.EarliestReading)
            ? DomainError.Invalid("timestamp", $"must not be before the run started ({run.StartedAt:O})")
            : null;
    }
}
