using IotPlayground.DynamoDb;
using IotPlayground.Lambda.Runtime;

namespace IotPlayground.Lambda.Functions;

/// <summary>
/// A function whose invocations report, once each is over, the DynamoDB capacity it consumed as EMF metrics: the
/// figures the compare tool sums per function, and CloudWatch per function and minute.
/// </summary>
public sealed class CapacityReporting(IInvocationHandler function, CapacityMeter capacity, EmfRunMetrics metrics) : IInvocationHandler
{
    public async Task<byte[]> HandleAsync(Invocation invocation, LambdaContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await function.HandleAsync(invocation, context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            metrics.CapacityConsumed(capacity.Take());
        }
    }
}
