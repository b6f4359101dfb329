using System.Globalization;
using IotPlayground.Domain;

namespace IotPlayground.DynamoDb;

/// <summary>
/// Sort keys are strings that order as their instants do: fixed-width UTC timestamps to the millisecond
/// (the precision every store keeps), then a separator that sorts below every id character.
/// </summary>
internal static class ItemKeys
{
    private const string InstantFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";

    /// <summary>Below every character of a run id or a sensor id.</summary>
    private const char Separator = '#';

    /// <summary>Above <see cref="Separator"/>: closes the range of every key of one instant.</summary>
    private const char AfterSeparator = '$';

    public static string Instant(DateTimeOffset value) =>
        value.UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseInstant(string value) =>
        DateTimeOffset.ParseExact(value, InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string RunStart(DateTimeOffset startedAt, Guid id) =>
        string.Concat(Instant(startedAt), Separator.ToString(), id.ToString("D"));

    public static string Reading(DateTimeOffset timestamp, string sensorId) =>
        string.Concat(Instant(timestamp), Separator.ToString(), sensorId);

    public static (DateTimeOffset Timestamp, string SensorId) ParseReading(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var separator = key.IndexOf(Separator, StringComparison.Ordinal);
        return (ParseInstant(key[..separator]), key[(separator + 1)..]);
    }

    /// <summary>
    /// A bound at or below every reading key at or after <paramref name="from"/>. Readings are kept to the millisecond:
    /// within a millisecond, every key of that millisecond is before <paramref name="from"/>, so the bound closes them
    /// off rather than rounding up to the next one, which the last instant of year 9999 has not got.
    /// </summary>
    public static string ReadingsFrom(DateTimeOffset from)
    {
        var truncated = Timestamps.Truncate(from);
        return string.Concat(Instant(truncated), (truncated < from ? AfterSeparator : Separator).ToString());
    }

    /// <summary>A bound above every reading key at or before <paramref name="to"/>.</summary>
    public static string ReadingsTo(DateTimeOffset to) =>
        string.Concat(Instant(Timestamps.Truncate(to)), AfterSeparator.ToString());
}
