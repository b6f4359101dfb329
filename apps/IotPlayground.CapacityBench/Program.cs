using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using IotPlayground.Domain;
using IotPlayground.DynamoDb;

// What a batch of readings costs in write capacity: the store's transaction against a BatchWriteItem of the same
// items, alternating, on one DynamoDB Local, as the consumed capacity that the server reports for each request.
//   bash apps/IotPlayground.CapacityBench/capacity.sh [--repetitions N] [--sizes 1,5,25]
string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var endpoint = Value("--endpoint") ?? throw new ArgumentException("--endpoint <DynamoDB Local URL> is required");
var repetitions = int.Parse(Value("--repetitions") ?? "15", CultureInfo.InvariantCulture);
var sizes = (Value("--sizes") ?? "1,5,25").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

const string runsTable = "CapacityRuns";
const string sensorDataTable = "CapacitySensorData";
using var client = new AmazonDynamoDBClient(
    new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" });
await DynamoDbSchema.EnsureTablesAsync(client, runsTable, sensorDataTable, CancellationToken.None);

var runId = Guid.NewGuid();
var next = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

// New readings every time, as a sensor sends them: each write creates its items rather than replacing them.
List<SensorReading> Readings(int count) => Enumerable.Range(0, count).Select(i =>
{
    next = next.AddMilliseconds(1);
    return new SensorReading(runId, "sensor-" + (i % 20).ToString(CultureInfo.InvariantCulture), next, 21.5 + (i / 10.0), 45, 1_013);
}).ToList();

async Task<double> TransactionAsync(int count)
{
    var request = DynamoDbSensorDataStore.WriteRequest(sensorDataTable, Readings(count));
    request.ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL;
    var response = await client.TransactWriteItemsAsync(request);
    return response.ConsumedCapacity.Sum(c => c.CapacityUnits ?? 0);
}

async Task<double> BatchWriteAsync(int count)
{
    var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest
    {
        RequestItems = new()
        {
            [sensorDataTable] = Readings(count).Select(r => new WriteRequest { PutRequest = new PutRequest { Item = DynamoDbSensorDataStore.ToItem(r) } }).ToList(),
        },
        ReturnConsumedCapacity = ReturnConsumedCapacity.TOTAL,
    });
    if (response.UnprocessedItems is { Count: > 0 })
    {
        throw new InvalidOperationException("DynamoDB Local left items unprocessed: the figure would not be per reading.");
    }

    return response.ConsumedCapacity.Sum(c => c.CapacityUnits ?? 0);
}

static double Median(List<double> values)
{
    values.Sort();
    return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
}

Console.WriteLine($"Write capacity units per reading, median of {repetitions} requests per cell, DynamoDB Local at {endpoint}");
Console.WriteLine($"{"readings",9} {"TransactWriteItems",19} {"BatchWriteItem",15} {"ratio",7}");
foreach (var size in sizes)
{
    var transaction = new List<double>();
    var batch = new List<double>();
    for (var i = 0; i < repetitions; i++)
    {
        transaction.Add(await TransactionAsync(size) / size);
        batch.Add(await BatchWriteAsync(size) / size);
    }

    var (t, b) = (Median(transaction), Median(batch));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{size,9} {t,19:F2} {b,15:F2} {t / b,7:F2}"));
}

return 0;
