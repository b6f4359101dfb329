using System.Globalization;
using IotPlayground.Domain;

namespace IotPlayground.Contract;

/// <summary>Turns the wire's strings (header, path and query values) into the domain's typed values.</summary>
public static class RequestParsing
{
    public static Outcome<UserName> User(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return new DomainError(ErrorCode.InvalidUser, $"The {HeaderNames.User} header is required on every write.");
        }

        return UserName.TryParse(header, out var user)
            ? user
            : new DomainError(
                ErrorCode.InvalidUser,
                $"The {HeaderNames.User} header must be 1 to {UserName.MaxLength} characters of letters, digits, '.', '_', '@' and '-'.");
    }

    public static Outcome<RunId> RunId(string? id) =>
        Domain.RunId.TryParse(id, out var runId) ? runId : DomainError.Invalid("id", "must be a UUID");

    public static Outcome<PageRequest<RunCursor>> RunPage(string? limit, string? cursor)
    {
        var errors = new FieldErrors();
        var size = PageSize(limit, RunService.DefaultPageSize, RunService.MaxPageSize, errors);
        RunCursor? after = null;
        if (cursor is not null && !RunCursor.TryDecode(cursor, out after))
        {
            errors.Add("cursor", "is not a cursor this API returned");
        }

        return errors.Any ? errors.ToError() : new PageRequest<RunCursor>(size, after);
    }

    public static Outcome<(ReadingQuery Query, int PageSize)> ReadingQuery(
        string? runId, string? sensorId, string? from, string? to, string? limit, string? cursor)
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

        var fromInstant = Instant("from", from, errors);
        var toInstant = Instant("to", to, errors);
        if (fromInstant > toInstant)
        {
            // An empty page would read as "no readings in that window" when the window itself is the mistake.
            errors.Add("to", "must not be before from");
        }

        var size = PageSize(limit, SensorDataService.DefaultPageSize, SensorDataService.MaxPageSize, errors);
        ReadingCursor? after = null;
        if (cursor is not null && !ReadingCursor.TryDecode(cursor, out after))
        {
            errors.Add("cursor", "is not a cursor this API returned");
        }

        return errors.Any ? errors.ToError() : (new Domain.ReadingQuery(run, sensorId, fromInstant, toInstant, after), size);
    }

    /// <summary>One reading, or a batch of up to <see cref="SensorReadings.MaxBatch"/>, each checked as of <paramref name="now"/>.</summary>
    public static Outcome<ReceivedReadings> Readings(IReadOnlyList<ReadingInput?> inputs, bool isBatch, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count is 0 or > SensorReadings.MaxBatch)
        {
            return DomainError.Invalid("readings", string.Create(CultureInfo.InvariantCulture, $"must hold 1 to {SensorReadings.MaxBatch} readings"));
        }

        var validated = new List<SensorReading>(inputs.Count);
        var errors = new FieldErrors();
        for (var i = 0; i < inputs.Count; i++)
        {
            var prefix = isBatch ? string.Create(CultureInfo.InvariantCulture, $"readings[{i}].") : "";
            var reading = ReadingInputs.Validate(inputs[i], now, prefix);
            if (reading.Error is { Errors: { } fieldErrors })
            {
                errors.AddAll(fieldErrors);
            }
            else
            {
                validated.Add(reading.Value!);
            }
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        if (validated.DistinctBy(r => (r.RunId, r.SensorId, r.Timestamp)).Count() < validated.Count)
        {
            return DomainError.Invalid("readings", "must not hold two readings of one sensor at the same timestamp");
        }

        return new ReceivedReadings(validated, now);
    }

    private static int PageSize(string? limit, int defaultSize, int maxSize, FieldErrors errors)
    {
        if (limit is null)
        {
            return defaultSize;
        }

        if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1 || size > maxSize)
        {
            errors.Add("limit", string.Create(CultureInfo.InvariantCulture, $"must be a whole number from 1 to {maxSize}"));
        }

        return size;
    }

    private static DateTimeOffset? Instant(string field, string? value, FieldErrors errors)
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
