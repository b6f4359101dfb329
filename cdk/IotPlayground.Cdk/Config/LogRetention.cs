using Amazon.CDK.AWS.Logs;

namespace IotPlayground.Cdk.Config;

/// <summary>Maps the configured number of days onto the retentions CloudWatch Logs accepts.</summary>
public static class LogRetention
{
    private static readonly Dictionary<int, RetentionDays> ByDays = new()
    {
        [1] = RetentionDays.ONE_DAY,
        [3] = RetentionDays.THREE_DAYS,
        [5] = RetentionDays.FIVE_DAYS,
        [7] = RetentionDays.ONE_WEEK,
        [14] = RetentionDays.TWO_WEEKS,
        [30] = RetentionDays.ONE_MONTH,
        [60] = RetentionDays.TWO_MONTHS,
        [90] = RetentionDays.THREE_MONTHS,
        [180] = RetentionDays.SIX_MONTHS,
        [365] = RetentionDays.ONE_YEAR,
    };

    public static IEnumerable<int> SupportedDays => ByDays.Keys;

    public static bool IsSupported(int days) => ByDays.ContainsKey(days);

    public static RetentionDays ToRetentionDays(int days) => ByDays.TryGetValue(days, out var retention)
        ? retention
        : throw new ArgumentOutOfRangeException(nameof(days), days, "Unsupported CloudWatch Logs retention.");
}
