using Amazon.DynamoDBv2;
using Amazon.Runtime;
using IotPlayground.Domain;
using IotPlayground.DynamoDb;
using IotPlayground.Testing;

namespace IotPlayground.Stores.Tests;

/// <summary>The consumed capacity DynamoDB (Local) reports on each answer, as a metered client counts it for the stores.</summary>
public sealed class DynamoDbCapacityMeterTests : IAsyncLifetime, IDisposable
{
    private readonly CapacityMeter _meter = new();
    private readonly string _prefix = $"capacity_{Environment.ProcessId}_{Guid.NewGuid():N}";
    private MeteredDynamoDbClient _client = null!;
    private DynamoDbStores _stores = null!;

    public async Task InitializeAsync()
    {
        _client = new MeteredDynamoDbClient(
            new BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = TestDynamoDb.SharedServer, AuthenticationRegion = "us-east-1" },
            _meter);
        await DynamoDbSchema.EnsureTablesAsync(_client, $"{_prefix}_Runs", $"{_prefix}_SensorData", CancellationToken.None);
        _stores = DynamoDbStores.Create(_client, $"{_prefix}_Runs", $"{_prefix}_SensorData");
        _meter.Take();
    }

    public async Task DisposeAsync()
    {
        await _client.DeleteTableAsync($"{_prefix}_Runs");
        await _client.DeleteTableAsync($"{_prefix}_SensorData");
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task WritesAreCountedAsWriteUnitsAndReadsAsReadUnitsUntilTaken()
    {
        var now = DateTimeOffset.UtcNow;
        var run = RunStoreConformance.NewRun(now);
        Assert.True(await _stores.Runs.TryStartAsync(run, now, CancellationToken.None));
        Assert.True(await _stores.Readings.TryAddAsync(
            [new SensorReading(run.Id, "s1", now, 20, null, null), new SensorReading(run.Id, "s2", now, 21, null, null)], now, CancellationToken.None));
        var written = _meter.Take();

        await _stores.Readings.QueryAsync(new ReadingQuery(run.Id, null, null, null, null), 100, CancellationToken.None);
        var read = _meter.Take();

        // A start takes a slot item and puts the run, a batch puts its readings: each a transaction, two units an item; the
        // batch's run check is a read.
        Assert.True(written.Write >= 8, $"write units {written.Write}");
        Assert.True(read.Read > 0, $"read units {read.Read}");
        Assert.Equal(0, read.Write);
        Assert.Equal(CapacityUnits.None, _meter.Take());
    }
}
