namespace IotPlayground.Domain;

/// <summary>
/// Every store keeps instants to the millisecond (PostgreSQL keeps microseconds, DynamoDB keys are strings),
/// so instants are cut to the millisecond before they are stored or compared.
/// </summary>
public static class Timestamps
{
    public static DateTimeOffset Truncate(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());
}
