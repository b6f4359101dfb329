using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace IotPlayground.DynamoDb;

/// <summary>
/// A DynamoDB client whose every request asks for the capacity it consumed, and whose every answer adds it to a
/// <see cref="CapacityMeter"/>: one step of the SDK's pipeline, before the request is marshalled, so that no store has
/// to ask for it.
/// </summary>
public sealed class MeteredDynamoDbClient : AmazonDynamoDBClient
{
    private readonly CapacityMeter _meter;

    public MeteredDynamoDbClient(AmazonDynamoDBConfig config, CapacityMeter meter)
        : base(config) => _meter = meter ?? throw new ArgumentNullException(nameof(meter));

    public MeteredDynamoDbClient(AWSCredentials credentials, AmazonDynamoDBConfig config, CapacityMeter meter)
        : base(credentials, config) => _meter = meter ?? throw new ArgumentNullException(nameof(meter));

    /// <summary>Called by the base constructor, before this one has set the meter: the step finds it once requests go out.</summary>
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.AddHandlerBefore<Marshaller>(new ConsumedCapacityStep(() => _meter));
    }

    private sealed class ConsumedCapacityStep(Func<CapacityMeter> meter) : PipelineHandler
    {
        public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            ArgumentNullException.ThrowIfNull(executionContext);
            CapacityMeter.AskForConsumedCapacity(executionContext.RequestContext.OriginalRequest);
            var response = await base.InvokeAsync<T>(executionContext).ConfigureAwait(false);
            meter().Add(CapacityMeter.ConsumedBy(response));
            return response;
        }
    }
}
