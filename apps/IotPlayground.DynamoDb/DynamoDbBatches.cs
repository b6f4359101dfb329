using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IotPlayground.Domain;

namespace IotPlayground.DynamoDb;

/// <summary>
/// Batch reads. DynamoDB may leave part of a batch unprocessed when it sheds load; that part is retried with backoff a
/// bounded number of times, and what is still left makes the store unavailable rather than half-read.
/// Batch writes are transactions instead (<see cref="DynamoDbTransactions"/>): BatchWriteItem writes what it can.
/// </summary>
internal static class DynamoDbBatches
{
    public const int MaxGetBatch = 100;
    private const int MaxAttempts = 6;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(25);

    /// <summary>Reads the items of <paramref name="keys"/> that exist, consistently, in no particular order.</summary>
    public static async Task<List<Dictionary<string, AttributeValue>>> GetAsync(
        IAmazonDynamoDB client,
        string tableName,
        IEnumerable<Dictionary<string, AttributeValue>> keys,
        CancellationToken cancellationToken,
        string? projection = null,
        Dictionary<string, string>? projectionNames = null)
    {
        var found = new List<Dictionary<string, AttributeValue>>();
        foreach (var chunk in keys.Chunk(MaxGetBatch))
        {
            var pending = new Dictionary<string, KeysAndAttributes>
            {
                [tableName] = new()
                {
                    Keys = [.. chunk],
                    ConsistentRead = true,
                    ProjectionExpression = projection,
                    ExpressionAttributeNames = projectionNames,
                },
            };
            for (var attempt = 1; pending.Count > 0; attempt++)
            {
                await BackOffBeforeAsync(attempt, cancellationToken).ConfigureAwait(false);
                var response = await DynamoDbGuard.RunAsync(
                    "batch read", () => client.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = pending }, cancellationToken), cancellationToken)
                    .ConfigureAwait(false);
                if (response.Responses?.TryGetValue(tableName, out var items) == true)
                {
                    found.AddRange(items);
                }

                pending = response.UnprocessedKeys is { Count: > 0 } unprocessed ? unprocessed : [];
            }
        }

        return found;
    }

    /// <summary>Nothing before the first attempt; then 25, 50, 100... ms with jitter; after the last, the store is unavailable.</summary>
    private static Task BackOffBeforeAsync(int attempt, CancellationToken cancellationToken)
    {
        if (attempt == 1)
        {
            return Task.CompletedTask;
        }

        if (attempt > MaxAttempts)
        {
            throw new StoreUnavailableException(
                $"DynamoDB left part of a batch read unprocessed {MaxAttempts} times.",
                new ProvisionedThroughputExceededException("Unprocessed batch items remained after every retry."));
        }

        var backoff = FirstBackoff * Math.Pow(2, attempt - 2);
        return Task.Delay(backoff + (backoff * Random.Shared.NextDouble()), cancellationToken);
    }
}
