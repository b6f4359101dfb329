using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using IotPlayground.Domain;

namespace IotPlayground.DynamoDb;

/// <summary>
/// The one way a host gets the DynamoDB stores: <see cref="IRunStore"/> with its quota of slot items,
/// <see cref="ISensorDataStore"/>, and the <see cref="IStoreProbe"/> that /health asks, all on one client. Nothing is
/// read until a store is used, so a Lambda function's initialization stays short.
/// </summary>
public sealed class DynamoDbStores
{
    private readonly ISensorDataStore? _readings;

    private DynamoDbStores(IRunStore runs, ISensorDataStore? readings, IStoreProbe probe)
    {
        Runs = runs;
        _readings = readings;
        Probe = probe;
    }

    public IRunStore Runs { get; }

    /// <summary>The readings' store; only a host that was given the sensor data table has one.</summary>
    public ISensorDataStore Readings =>
        _readings ?? throw new InvalidOperationException("These stores were created without a sensor data table; pass its name to DynamoDbStores.Create.");

    public IStoreProbe Probe { get; }

    /// <param name="sensorDataTable">Null for a host that never touches readings (the run function is given no such table).</param>
    /// <param name="maxRunning">1 to <see cref="DynamoDbRunStore.MaxSlots"/> slot items, or <see cref="RunRules.NoQuota"/>.</param>
    public static DynamoDbStores Create(
        IAmazonDynamoDB client, string runsTable, string? sensorDataTable, int maxRunning = RunRules.MaxRunning)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(runsTable);
        if (maxRunning is < 1 or > DynamoDbRunStore.MaxSlots && maxRunning != RunRules.NoQuota)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxRunning),
                maxRunning,
                $"A DynamoDB quota is 1 to {DynamoDbRunStore.MaxSlots} slot items, or RunRules.NoQuota for a store that holds none.");
        }

        return new DynamoDbStores(
            new DynamoDbRunStore(client, runsTable, maxRunning),
            sensorDataTable is null ? null : new DynamoDbSensorDataStore(client, runsTable, sensorDataTable),
            new DynamoDbStoreProbe(client, runsTable));
    }
}

/// <summary>
/// Reachable when the runs table answers a read of one key: it is the table every function may read, and both tables
/// are behind the same service endpoint.
/// </summary>
internal sealed class DynamoDbStoreProbe(IAmazonDynamoDB client, string runsTable) : IStoreProbe
{
    public Task CheckReachableAsync(CancellationToken cancellationToken) =>
        DynamoDbGuard.RunAsync("health check", () => client.GetItemAsync(new GetItemRequest
        {
            TableName = runsTable,
            Key = RunItems.Key(Guid.Empty),
        }, cancellationToken), cancellationToken);
}
