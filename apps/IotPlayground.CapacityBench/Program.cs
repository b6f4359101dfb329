using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using IotPlayground.Domain;
using IotPlayground.DynamoDb;

// What a request of readings costs in capacity: the store's own write (DynamoDbSensorDataStore.TryAddAsync, a PutItem
// for one reading, a TransactWriteItems for more, each after a read of its run) against a BatchWriteItem of the same
// items, alternating, on one DynamoDB Local, as the consumed capacity that the server reports on each answer.
//   bash apps/IotPlayground.CapacityBench/capacity.sh [--repetitions N] [--sizes 1,5,25]
string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var endpoint = Value("--endpoint") ?? throw new ArgumentException("--endpoint <DynamoDB Local URL> is required");
var repetitions = int.Parse(Value("--repetitions") ?? "15", CultureInfo.InvariantCulture);
var sizes = (Value("--sizes") ?? "1,5,25").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

const string runsTable = "CapacityRuns";
const string sensorDataTable = "CapacitySensorData";
var meter = new CapacityMeter();
using var client = new MeteredDynamoDbClient(
    new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" }, meter);
await DynamoDbSchema.EnsureTablesAsync(client, runsTable, sensorDataTable, CancellationToken.None);
var stores = DynamoDbStores.Create(client, runsTable, sensorDataTable);

var run = Run.Start(Guid.NewGuid(), "capacity", DateTimeOffset.UtcNow, new RunRequest(3_600, 5, RunParams.Default));
if (!await stores.Runs.TryStartAsync(run, DateTimeOffset.UtcNow, CancellationToken.None))
{
    throw new InvalidOperationException("The run could not start: the tables hold other running runs.");
}

var next = run.StartedAt;

// New readings every time, as a sensor sends them: each write creates its items rather than replacing them.
List<SensorReading> Readings(int count) => Enumerable.Range(0, count).Select(i =>
{
    next = next.AddMilliseconds(1);
    return new SensorReading(run.Id, "sensor-" + (i % 20).ToString(CultureInfo.InvariantCulture), next, 21.5 + (i / 10.0), 45, 1_013);
}).ToList();

async Task<CapacityUnits> StoreWriteAsync(int count)
{
    meter.Take();
    if (!await stores.Readings.TryAddAsync(Readings(count), DateTimeOffset.UtcNow, CancellationToken.None))
    {
        throw new InvalidOperationException("The run refused the readings: the figure would not be a write's.");
    }

    return meter.Take();
}

async Task<CapacityUnits> BatchWriteAsync(int count)
{
    meter.Take();
    var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest
    {
        RequestItems = new()
        {
            [sensorDataTable] = Readings(count).Select(r => new WriteRequest { PutRequest = new PutRequest { Item = DynamoDbSensorDataStore.ToItem(r) } }).ToList(),
        },
    });
    if (response.UnprocessedItems is { Count: > 0 })
    {
        throw new InvalidOperationException("DynamoDB Local left items unprocessed: the figure would not be per reading.");
    }

    return meter.Take();
}

static double Median(List<double> values)
{
    values.Sort();
    return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
}

Console.WriteLine($"Capacity units per reading, median of {repetitions} requests per cell, DynamoDB Local at {endpoint}");
Console.WriteLine($"{"readings",9} {"store write",12} {"store read",11} {"BatchWriteItem",15} {"write ratio",12}");
foreach (var size in sizes)
{
    var (storeWrite, storeRead, batch) = (new List<double>(), new List<double>(), new List<double>());
    for (var i = 0; i < repetitions; i++)
    {
        var store = await StoreWriteAsync(size);
        storeWrite.Add(store.Write / size);
        storeRead.Add(store.Read / size);
        batch.Add((await BatchWriteAsync(size)).Write / size);
    }

    var (w, r, b) = (Median(storeWrite), Median(storeRead), Median(batch));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{size,9} {w,12:F2} {r,11:F2} {b,15:F2} {w / b,12:F2}"));
}

return 0;
