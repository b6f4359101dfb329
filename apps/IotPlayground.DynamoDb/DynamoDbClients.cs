using Amazon.DynamoDBv2;

namespace IotPlayground.DynamoDb;

public static class DynamoDbClients
{
    /// <summary>
    /// A client for the region of <c>AWS_REGION</c> and, when <c>AWS_ENDPOINT_URL_DYNAMODB</c> is set, that endpoint
    /// (the SDK reads both itself). Attempts are short and few: a caller waiting on an unreachable store is better
    /// served by a quick 503 than by a request that outlives API Gateway's 29 seconds.
    /// </summary>
    public static AmazonDynamoDBClient Create() => new(Config());

    /// <summary>The same client, whose every request asks for the capacity it consumed and adds it to <paramref name="capacity"/>.</summary>
    public static MeteredDynamoDbClient Create(CapacityMeter capacity) => new(Config(), capacity);

    private static AmazonDynamoDBConfig Config() => new()
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        Timeout = TimeSpan.FromSeconds(5),
        MaxErrorRetry = 2,
    };
}
