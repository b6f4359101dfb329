using IotPlayground.Domain;

namespace IotPlayground.Contract;

/// <summary>Turns readings as sent into readings, naming every field that is wrong by its place in the body.</summary>
public static class ReadingInputs
{
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

        if (!SensorReadings.IsValidSensorId(input.SensorId))
        {
            errors.Add(fieldPrefix + "sensorId", $"must be 1 to {SensorReadings.MaxSensorIdLength} characters of letters, digits, '.', '_', ':' and '-'");
        }

        if (input.Temperature is null)
        {
            errors.Add(fieldPrefix + "temperature", "is required");
        }

        errors.CheckRange(fieldPrefix + "temperature", input.Temperature, SensorReadings.MinTemperature, SensorReadings.MaxTemperature, "°C");
        errors.CheckRange(fieldPrefix + "humidity", input.Humidity, SensorReadings.MinHumidity, SensorReadings.MaxHumidity, "%");
        errors.CheckRange(fieldPrefix + "pressure", input.Pressure, SensorReadings.MinPressure, SensorReadings.MaxPressure, "hPa");
        if (input.Timestamp > now + SensorReadings.MaxClockSkew)
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
}
