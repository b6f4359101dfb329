using System.Buffers;

namespace IotPlayground.Domain;

public sealed record SensorReading(
    Guid RunId,
    string SensorId,
    DateTimeOffset Timestamp,
    double Temperature,
    double? Humidity,
    double? Pressure);

/// <summary>Valid readings as one request brought them, and when it arrived: their runs are judged at that instant.</summary>
public sealed record ReceivedReadings(IReadOnlyList<SensorReading> Readings, DateTimeOffset ReceivedAt);

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

    public static bool IsValidSensorId(string? sensorId) =>
        !string.IsNullOrEmpty(sensorId)
        && sensorId.Length <= MaxSensorIdLength
        && !sensorId.AsSpan().ContainsAnyExcept(SensorIdChars);
}
