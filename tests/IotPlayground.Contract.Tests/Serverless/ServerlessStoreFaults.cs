using System.Net;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Contract.Tests.Contract;
using IotPlayground.DynamoDb;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Serverless;

/// <summary>
/// The network between the functions and DynamoDB fails at every point of a start and of a batch: connections
/// dropped before a request, cut in the middle of one, or closed after the store applied it without its answer
/// getting back. Whatever the client is told, the store never holds half of a start or half of a batch.
/// </summary>
public sealed class ServerlessStoreFaults(ServerlessFaultBackend backend) : ContractTest(backend), IClassFixture<ServerlessFaultBackend>
{
    private const string SlotPrefix = "quota-slot-";

    public override async Task DisposeAsync()
    {
        backend.Proxy.Heal();
        await base.DisposeAsync();
    }

    [Theory]
    [InlineData(ProxyFault.Drop)]
    [InlineData(ProxyFault.Cut)]
    [InlineData(ProxyFault.LoseAnswer)]
    public async Task NoStartLeavesASlotWithoutItsRunNorARunningRunWithoutItsSlot(ProxyFault fault)
    {
        // A start reads the slots, then their holders once there are any, then writes: every one of them is hit.
        for (var passed = 0; passed < 4; passed++)
        {
            backend.Proxy.Inject(fault, afterRequests: passed);
            using (var response = await Client.StartRun("unlucky"))
            {
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    await response.AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
                }
            }

            backend.Proxy.Heal();
            await AssertEverySlotHasItsRunAndEveryRunningRunItsSlotAsync();
        }

        // The quota still adds up: what runs, and the starts that fill it to exactly five.
        for (var running = await Client.RunningCount(); running < 5; running++)
        {
            await Client.StartedRun("filler");
        }

        await (await Client.StartRun("latecomer")).AssertProblem(HttpStatusCode.BadRequest, "quota_exceeded");
        await AssertEverySlotHasItsRunAndEveryRunningRunItsSlotAsync();
    }

    [Fact]
    public async Task AStartWhoseAnswerWasLostIsRetriedIntoOneRunningRun()
    {
        // The slots are read, the transaction is applied and its answer lost: the SDK sends it again with its token.
        backend.Proxy.Inject(ProxyFault.LoseAnswer, afterRequests: 1, count: 1);

        var run = await Client.StartedRun("retried");

        Assert.Equal(1, backend.Proxy.Faulted);
        Assert.Equal([run.Id()], await RunningIdsAsync());
        await AssertEverySlotHasItsRunAndEveryRunningRunItsSlotAsync();
    }

    [Fact]
    public async Task AStartHeldUpPastTheClientsTimeoutIsStartedOnce()
    {
        // The first attempt reaches the store after the client gave up on it and retried.
        backend.Proxy.Inject(ProxyFault.Delay, afterRequests: 1, count: 1, delay: TimeSpan.FromSeconds(6));

        var run = await Client.StartedRun("patient");

        Assert.Equal(1, backend.Proxy.Faulted);
        Assert.Equal([run.Id()], await RunningIdsAsync());
        await AssertEverySlotHasItsRunAndEveryRunningRunItsSlotAsync();
    }

    [Theory]
    [InlineData(ProxyFault.Drop)]
    [InlineData(ProxyFault.Cut)]
    [InlineData(ProxyFault.LoseAnswer)]
    public async Task ABatchInterruptedMidWayLeavesNoneOrAllOfItsReadings(ProxyFault fault)
    {
        var run = await Client.StartedRun("sender", duration: 3_600, interval: 1);
        var start = ApiCalls.Now();

        // A batch reads its run, then writes: both are hit, and the write in the middle of its request.
        for (var passed = 0; passed < 3; passed++)
        {
            var sensor = $"batch{passed}";
            var readings = new JsonArray(Enumerable.Range(0, 25).Select(i => (JsonNode)new JsonObject
            {
                ["runId"] = run.Id(),
                ["sensorId"] = sensor,
                ["temperature"] = 20 + (i / 10.0),
                ["timestamp"] = start.AddMilliseconds(i).ToString("O"),
            }).ToArray());
            backend.Proxy.Inject(fault, afterRequests: passed);
            using var response = await Client.Post("/api/sensors/data", "sender", new JsonObject { ["readings"] = readings }.ToJsonString());
            backend.Proxy.Heal();

            var stored = await StoredReadingsAsync(run.Id(), sensor);
            if (response.StatusCode == HttpStatusCode.Created)
            {
                Assert.Equal(25, stored);
            }
            else
            {
                await response.AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
                Assert.True(stored is 0 or 25, $"A failed batch left {stored} of its 25 readings.");
            }
        }
    }

    /// <summary>Read directly, not through the proxy: what the store holds, slot items and runs alike.</summary>
    private async Task AssertEverySlotHasItsRunAndEveryRunningRunItsSlotAsync()
    {
        var items = await ScanAsync(backend.RunsTable);
        var slots = items.Where(i => i[DynamoDbSchema.Runs.PartitionKey].S.StartsWith(SlotPrefix, StringComparison.Ordinal)).ToList();
        var runs = items.Except(slots).ToDictionary(i => i[DynamoDbSchema.Runs.PartitionKey].S, StringComparer.Ordinal);
        foreach (var slot in slots.Where(s => s.ContainsKey("holder")))
        {
            var (slotId, holder) = (slot[DynamoDbSchema.Runs.PartitionKey].S, slot["holder"].S);
            Assert.True(runs.TryGetValue(holder, out var run), $"{slotId} is held by {holder}, which is not stored.");
            if (run[DynamoDbSchema.Runs.ByStatusPartitionKey].S == "RUNNING")
            {
                Assert.True(SlotPrefix + run["quotaSlot"].N == slotId, $"{slotId} is held by {holder}, which runs in another slot.");
            }
        }

        foreach (var (id, run) in runs.Where(r => r.Value[DynamoDbSchema.Runs.ByStatusPartitionKey].S == "RUNNING"))
        {
            var slot = SlotPrefix + run["quotaSlot"].N;
            Assert.True(
                slots.Any(s => s[DynamoDbSchema.Runs.PartitionKey].S == slot && s.GetValueOrDefault("holder")?.S == id),
                $"The RUNNING run {id} does not hold {slot}.");
        }
    }

    private async Task<List<string>> RunningIdsAsync() =>
        (await ScanAsync(backend.RunsTable))
            .Where(i => i.GetValueOrDefault(DynamoDbSchema.Runs.ByStatusPartitionKey)?.S == "RUNNING")
            .Select(i => i[DynamoDbSchema.Runs.PartitionKey].S)
            .ToList();

    private async Task<int> StoredReadingsAsync(string runId, string sensorId) =>
        (await QueryAllAsync(new QueryRequest
        {
            TableName = backend.SensorDataTable,
            KeyConditionExpression = $"{DynamoDbSchema.SensorData.PartitionKey} = :run",
            FilterExpression = "sensorId = :sensor",
            ExpressionAttributeValues = new() { [":run"] = new AttributeValue(runId), [":sensor"] = new AttributeValue(sensorId) },
            ConsistentRead = true,
        })).Count;

    private async Task<List<Dictionary<string, AttributeValue>>> ScanAsync(string table)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        var request = new ScanRequest { TableName = table, ConsistentRead = true };
        do
        {
            var page = await backend.Store.ScanAsync(request);
            items.AddRange(page.Items ?? []);
            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (request.ExclusiveStartKey is not null);

        return items;
    }

    private async Task<List<Dictionary<string, AttributeValue>>> QueryAllAsync(QueryRequest request)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        do
        {
            var page = await backend.Store.QueryAsync(request);
            items.AddRange(page.Items ?? []);
            request.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (request.ExclusiveStartKey is not null);

        return items;
    }
}
