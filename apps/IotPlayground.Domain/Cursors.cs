using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace IotPlayground.Domain;

/// <summary>Keyset position in the newest-first run list: the last run of the previous page.</summary>
public sealed record RunCursor(DateTimeOffset StartedAt, Guid Id)
{
    public string Encode() => Cursors.Encode(string.Create(CultureInfo.InvariantCulture, $"{StartedAt.ToUnixTimeMilliseconds()}|{Id:D}"));

    public static bool TryDecode(string value, out RunCursor? cursor)
    {
        cursor = null;
        if (Cursors.Decode(value) is not { } text
            || text.Split('|') is not [var millis, var id]
            || !long.TryParse(millis, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || !Guid.TryParseExact(id, "D", out var guid)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        cursor = new RunCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), guid);
        return true;
    }
}

/// <summary>Keyset position in a run's readings: the last reading of the previous page.</summary>
public sealed record ReadingCursor(DateTimeOffset Timestamp, string SensorId)
{
    public string Encode() => Cursors.Encode(string.Create(CultureInfo.InvariantCulture, $"{Timestamp.ToUnixTimeMilliseconds()}|{SensorId}"));

    public static bool TryDecode(string value, out ReadingCursor? cursor)
    {
        cursor = null;
        if (Cursors.Decode(value) is not { } text
            || text.Split('|') is not [var millis, var sensorId]
            || !long.TryParse(millis, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            || !SensorReadings.IsValidSensorId(sensorId)
            || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return false;
        }

        cursor = new ReadingCursor(DateTimeOffset.FromUnixTimeMilliseconds(ms), sensorId);
        return true;
    }
}

public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>Cursors are opaque to clients: URL-safe base64 of a small text key.</summary>
internal static class Cursors
{
    private const int MaxLength = 256;

    public static string Encode(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    public static string? Decode(string value)
    {
        if (value.Length > MaxLength || !Base64Url.IsValid(value))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
