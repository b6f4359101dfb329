using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IotPlayground.Domain;

namespace IotPlayground.DynamoDb;

/// <summary>
/// Transactions whose items carry no condition of their own (a batch of readings). DynamoDB cancels a transaction that
/// meets another one on the same item, or that it throttles; such a cancellation is retried with backoff a bounded
/// number of times, under the same request token, and then makes the store unavailable. Nothing was written then.
/// </summary>
internal static class DynamoDbTransactions
{
    private const int MaxAttempts = 5;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(20);

    public static async Task WriteAsync(IAmazonDynamoDB client, TransactWriteItemsRequest request, string operation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await DynamoDbGuard.RunAsync(operation, () => client.TransactWriteItemsAsync(request, cancellationToken), cancellationToken)
                    .ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (IsTransient(ex) && attempt < MaxAttempts)
            {
                var backoff = FirstBackoff * Math.Pow(2, attempt - 1);
                await Task.Delay(backoff + (backoff * Random.Shared.NextDouble()), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                throw new StoreUnavailableException($"DynamoDB cancelled the transaction to {operation} {MaxAttempts} times; nothing was written.", ex);
            }
        }
    }

    private static bool IsTransient(Exception exception) => exception switch
    {
        TransactionConflictException => true,
        TransactionCanceledException { CancellationReasons: { } reasons } =>
            reasons.All(r => r.Code is "None" or null or "TransactionConflict" or "ThrottlingError" or "ProvisionedThroughputExceeded"),
        _ => false,
    };
}
