using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace IotPlayground.DynamoDb;

/// <summary>
/// The two tables for hosts without CloudFormation (the local host, the tests), created from the names in
/// DynamoDbSchema.Names.cs as cdk/ declares them for AWS.
/// </summary>
public static partial class DynamoDbSchema
{
    /// <summary>Creates whichever of the two tables is missing and waits until both are active.</summary>
    public static async Task EnsureTablesAsync(IAmazonDynamoDB client, string runsTable, string sensorDataTable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        await EnsureTableAsync(client, RunsTableRequest(runsTable), cancellationToken).ConfigureAwait(false);
        await EnsureTableAsync(client, SensorDataTableRequest(sensorDataTable), cancellationToken).ConfigureAwait(false);
    }

    public static CreateTableRequest RunsTableRequest(string name) => new()
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions =
        [
            StringAttribute(Runs.PartitionKey),
            StringAttribute(Runs.ByStartPartitionKey),
            StringAttribute(Runs.ByStatusPartitionKey),
            StringAttribute(Runs.StartSortKey),
        ],
        KeySchema = [new KeySchemaElement(Runs.PartitionKey, KeyType.HASH)],
        GlobalSecondaryIndexes =
        [
            Index(Runs.ByStartIndex, Runs.ByStartPartitionKey, Runs.StartSortKey),
            Index(Runs.ByStatusIndex, Runs.ByStatusPartitionKey, Runs.StartSortKey),
        ],
    };

    public static CreateTableRequest SensorDataTableRequest(string name) => new()
    {
        TableName = name,
        BillingMode = BillingMode.PAY_PER_REQUEST,
        AttributeDefinitions = [StringAttribute(SensorData.PartitionKey), StringAttribute(SensorData.SortKey)],
        KeySchema = [new KeySchemaElement(SensorData.PartitionKey, KeyType.HASH), new KeySchemaElement(SensorData.SortKey, KeyType.RANGE)],
    };

    private static async Task EnsureTableAsync(IAmazonDynamoDB client, CreateTableRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateTableAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceInUseException)
        {
            // Created before, or by a concurrent host: either way it is there.
        }

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while ((await client.DescribeTableAsync(request.TableName, cancellationToken).ConfigureAwait(false)).Table.TableStatus != TableStatus.ACTIVE)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"The DynamoDB table {request.TableName} did not become active within two minutes.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    private static AttributeDefinition StringAttribute(string name) => new(name, ScalarAttributeType.S);

    private static GlobalSecondaryIndex Index(string name, string partitionKey, string sortKey) => new()
    {
        IndexName = name,
        KeySchema = [new KeySchemaElement(partitionKey, KeyType.HASH), new KeySchemaElement(sortKey, KeyType.RANGE)],
        Projection = new Projection { ProjectionType = ProjectionType.ALL },
    };
}
