using System.Net.Sockets;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using IotPlayground.Domain;

namespace IotPlayground.DynamoDb;

/// <summary>Turns "DynamoDB cannot be reached or is shedding load" into the domain's <see cref="StoreUnavailableException"/>.</summary>
internal static class DynamoDbGuard
{
    public static async Task<T> RunAsync<T>(string operation, Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsOutage(ex, cancellationToken))
        {
            throw new StoreUnavailableException($"DynamoDB is unavailable ({operation}): {ex.Message}", ex);
        }
    }

    public static async Task RunAsync(string operation, Func<Task> action, CancellationToken cancellationToken) =>
        await RunAsync(operation, async () =>
        {
            await action().ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    private static bool IsOutage(Exception exception, CancellationToken cancellationToken)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            switch (ex)
            {
                case ProvisionedThroughputExceededException or RequestLimitExceededException or ThrottlingException:
                case AmazonServiceException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError }:
                case HttpRequestException or SocketException or IOException or TimeoutException:
                case OperationCanceledException when !cancellationToken.IsCancellationRequested:
                    return true;
            }
        }

        return false;
    }
}
