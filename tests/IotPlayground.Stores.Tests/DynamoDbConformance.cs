using Amazon.DynamoDBv2;
using Amazon.Runtime;
using IotPlayground.Domain;
using IotPlayground.DynamoDb;
using IotPlayground.Testing;

namespace IotPlayground.Stores.Tests;

/// <summary>The DynamoDB stores, each test on tables of its own in the shared DynamoDB Local (tests/scripts/dynamodb-local.sh).</summary>
public sealed class DynamoDbStoreFactory : IStoreFactory
{
    private static int _tables;

    public async Task<StoresUnderTest> CreateAsync(int maxRunning)
    {
        var client = Client(TestDynamoDb.SharedServer);
        var prefix = $"stores_{Environment.ProcessId}_{Interlocked.Increment(ref _tables)}";
        var runsTable = $"{prefix}_Runs";
        var sensorDataTable = $"{prefix}_SensorData";
        await DynamoDbSchema.EnsureTablesAsync(client, runsTable, sensorDataTable, CancellationToken.None);
        var stores = DynamoDbStores.Create(client, runsTable, sensorDataTable, maxRunning);
        return new StoresUnderTest(stores.Runs, stores.Readings, stores.Probe, async () =>
        {
            await client.DeleteTableAsync(runsTable);
            await client.DeleteTableAsync(sensorDataTable);
            client.Dispose();
        });
    }

    /// <summary>A port nothing listens on.</summary>
    public Task<StoresUnderTest> CreateUnreachableAsync()
    {
        var client = Client($"http://127.0.0.1:{ServerScript.FreeLoopbackPort()}");
        var stores = DynamoDbStores.Create(client, "Runs", "SensorData");
        return Task.FromResult(new StoresUnderTest(stores.Runs, stores.Readings, stores.Probe, () =>
        {
            client.Dispose();
            return ValueTask.CompletedTask;
        }));
    }

    /// <summary>A sensor id longer than a sort key may be (1,024 bytes): DynamoDB refuses the item, and so the transaction.</summary>
    public SensorReading Unstorable(SensorReading valid) => valid with { SensorId = new string('x', 2_000) };

    private static AmazonDynamoDBClient Client(string endpoint) => new(
        new BasicAWSCredentials("local", "local"),
        new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1", MaxErrorRetry = 1, Timeout = TimeSpan.FromSeconds(5) });
}

public sealed class DynamoDbRunStoreConformance() : RunStoreConformance(new DynamoDbStoreFactory());

public sealed class DynamoDbSensorDataStoreConformance() : SensorDataStoreConformance(new DynamoDbStoreFactory());
