using System.Buffers;

namespace IotPlayground.Domain;

public sealed record SensorReading(
    Guid RunId,
    string SensorId,
    DateTimeOffset Timestamp,
    double Temperature,
    double? Humidity,
    double? Pressure);

public static class SensorReadings
{
    public const int MaxBatch = 25;
    public const int MaxSensorIdLength = 64;

    /// <summary>Physical ranges a reading must fall in; anything outside is a broken sensor or a broken client.</summary>
    public const double MinTemperature = -90, MaxTemperature = 150;
    public const double MinHumidity = 0, MaxHumidity = 100;
    public const double MinPressure = 300, MaxPressure = 1100;

    /// <summary>How far a sensor's clock may run ahead of the server's.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(1);

    private static readonly SearchValues<char> SensorIdChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-");

    /// <summary>Checks one reading's own fields; whether its run takes readings is the service's business.</summary>
    public static Outcome<SensorReading> Validate(ReadingInput? input, DateTimeOffset now, string fieldPrefix = "")
    {
        if (input is null)
        {
            return DomainError.Invalid(fieldPrefix.Length == 0 ? "body" : fieldPrefix.TrimEnd('.'), "is required");
        }

        var errors = new FieldErrors();
        var runId = Guid.Empty;
        if (string.IsNullOrEmpty(input.RunId))
        {
            errors.Add(fieldPrefix + "runId", "is required");
        }
        else if (!Guid.TryParseExact(input.RunId, "D", out runId))
        {
            errors.Add(fieldPrefix + "runId", "must be a UUID");
        }

        if (!IsValidSensorId(input.SensorId))
        {
            errors.Add(fieldPrefix + "sensorId", $"must be 1 to {MaxSensorIdLength} characters of letters, digits, '.', '_', ':' and '-'");
        }

        if (input.Temperature is null)
        {
            errors.Add(fieldPrefix + "temperature", "is required");
        }

        errors.CheckRange(fieldPrefix + "temperature", input.Temperature, MinTemperature, MaxTemperature, "°C");
        errors.CheckRange(fieldPrefix + "humidity", input.Humidity, MinHumidity, MaxHumidity, "%");
        errors.CheckRange(fieldPrefix + "pressure", input.Pressure, MinPressure, MaxPressure, "hPa");
        if (input.Timestamp > now + MaxClockSkew)
        {
            errors.Add(fieldPrefix + "timestamp", "must not be in the future");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        return new SensorReading(
            runId,
            input.SensorId!,
            Timestamps.Truncate(input.Timestamp ?? now),
            input.Temperature!.Value,
            input.Humidity,
            input.Pressure);
    }

    public static bool IsValidSensorId(string? sensorId) =>
        !string.IsNullOrEmpty(sensorId)
        && sensorId.Length <= MaxSensorIdLength
        && !sensorId.AsSpan().ContainsAnyExcept(SensorIdChars);
}
