using System.Globalization;

namespace IotPlayground.Domain;

/// <summary>Reading ingestion and queries, the same behind the container API and the sensor Lambda.</summary>
public sealed class SensorDataService(IRunStore runs, ISensorDataStore readings, RunService runService, TimeProvider clock, IRunMetrics metrics)
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 1_000;

    /// <summary>Stores one reading, or a batch all-or-nothing: every reading must be valid and its run RUNNING.</summary>
    public async Task<Outcome<IReadOnlyList<SensorReading>>> IngestAsync(
        string? user, IReadOnlyList<ReadingInput?> inputs, bool isBatch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (Users.Validate(user) is { Error: { } userError })
        {
            return userError;
        }

        if (inputs.Count is 0 or > SensorReadings.MaxBatch)
        {
            return DomainError.Invalid("readings", string.Create(CultureInfo.InvariantCulture, $"must hold 1 to {SensorReadings.MaxBatch} readings"));
        }

        var now = clock.GetUtcNow();
        var validated = new List<SensorReading>(inputs.Count);
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var prefix = isBatch ? string.Create(CultureInfo.InvariantCulture, $"readings[{i}].") : "";
            var reading = SensorReadings.Validate(inputs[i], now, prefix);
            if (reading.Error is { Errors: { } fieldErrors })
            {
                foreach (var (field, messages) in fieldErrors)
                {
                    errors[field] = messages;
                }
            }
            else
            {
                validated.Add(reading.Value!);
            }
        }

        if (errors.Count > 0)
        {
            return DomainError.Invalid(errors);
        }

        if (validated.DistinctBy(r => (r.RunId, r.SensorId, r.Timestamp)).Count() < validated.Count)
        {
            return DomainError.Invalid("readings", "must not hold two readings of one sensor at the same timestamp");
        }

        foreach (var runId in validated.Select(r => r.RunId).Distinct())
        {
            if (await CheckTakesReadingsAsync(runId, validated, now, cancellationToken).ConfigureAwait(false) is { } refusal)
            {
                return refusal;
            }
        }

        await readings.AddAsync(validated, cancellationToken).ConfigureAwait(false);
        metrics.ReadingsIngested(validated);
        return validated;
    }

    public async Task<Outcome<Page<SensorReading>>> QueryAsync(
        string? runId, string? sensorId, string? from, string? to, string? limit, string? cursor, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var run = Guid.Empty;
        if (string.IsNullOrEmpty(runId))
        {
            errors.Add("runId", "is required");
        }
        else if (!Guid.TryParseExact(runId, "D", out run))
        {
            errors.Add("runId", "must be a UUID");
        }

        if (sensorId is not null && !SensorReadings.IsValidSensorId(sensorId))
        {
            errors.Add("sensorId", "is not a valid sensor id");
        }

        var fromInstant = ParseInstant("from", from, errors);
        var toInstant = ParseInstant("to", to, errors);
        var pageSize = RunService.ParsePageSize(limit, DefaultPageSize, MaxPageSize, errors);
        ReadingCursor? after = null;
        if (cursor is not null && !ReadingCursor.TryDecode(cursor, out after))
        {
            errors.Add("cursor", "is not a cursor this API returned");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        if (await runs.FindAsync(run, cancellationToken).ConfigureAwait(false) is null)
        {
            return DomainError.RunNotFound(run);
        }

        var query = new ReadingQuery(run, sensorId, fromInstant, toInstant, after);
        var found = await readings.QueryAsync(query, pageSize + 1, cancellationToken).ConfigureAwait(false);
        var items = found.Readings.Take(pageSize).ToList();
        var next = found.Readings.Count > pageSize ? new ReadingCursor(items[^1].Timestamp, items[^1].SensorId).Encode() : found.ReadUpTo?.Encode();
        return new Page<SensorReading>(items, next);
    }

    private async Task<DomainError?> CheckTakesReadingsAsync(
        Guid runId, List<SensorReading> batch, DateTimeOffset now, CancellationToken cancellationToken)
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

        var earliest = run.StartedAt - SensorReadings.MaxClockSkew;
        return batch.Any(r => r.RunId == runId && r.Timestamp < earliest)
            ? DomainError.Invalid("timestamp", $"must not be before the run started ({run.StartedAt:O})")
            : null;
    }

    private static DateTimeOffset? ParseInstant(string field, string? value, FieldErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant.ToUniversalTime();
        }

        errors.Add(field, "must be an ISO 8601 instant");
        return null;
    }
}
