using System.Globalization;
using System.Net;
using Amazon.DynamoDBv2.Model;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Contract.Tests.Contract;
using IotPlayground.Domain;
using IotPlayground.DynamoDb;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Serverless;

/// <summary>
/// Quota slots left behind (a release that never got through, a holder that is not stored) repair themselves:
/// can-start and start both see them free, and listing the running runs releases them.
/// </summary>
public sealed class ServerlessQuotaSlots(ServerlessBackend backend) : ContractTest(backend), IClassFixture<ServerlessBackend>
{
    private const string SlotPrefix = "quota-slot-";

    [Fact]
    public async Task SlotsHeldByEndedOrMissingRunsAreFreeForCanStartAndStart()
    {
        // Two runs end without their slot being released, as when the store went away between the two writes.
        for (var i = 0; i < 2; i++)
        {
            var run = Run.Start(Guid.NewGuid(), "gone", DateTimeOffset.UtcNow, new RunRequest(3_600, 5, RunParams.Default));
            Assert.True(await Backend.RunStore.TryStartAsync(run, run.StartedAt, CancellationToken.None));
            await backend.Store.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = backend.RunsTable,
                Key = new() { [DynamoDbSchema.Runs.PartitionKey] = new AttributeValue(run.Id.ToString("D")) },
                UpdateExpression = "SET #status = :completed",
                ExpressionAttributeNames = new() { ["#status"] = DynamoDbSchema.Runs.ByStatusPartitionKey },
                ExpressionAttributeValues = new() { [":completed"] = new AttributeValue("COMPLETED") },
            });
        }

        // The other three are held until tomorrow by runs that are not stored at all.
        foreach (var slot in (await HoldersAsync()).Where(s => s.Value is null).Select(s => s.Key))
        {
            await backend.Store.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = backend.RunsTable,
                Key = new() { [DynamoDbSchema.Runs.PartitionKey] = new AttributeValue(slot) },
                UpdateExpression = "SET holder = :ghost, expiresAt = :tomorrow",
                ExpressionAttributeValues = new()
                {
                    [":ghost"] = new AttributeValue(Guid.NewGuid().ToString("D")),
                    [":tomorrow"] = new AttributeValue { N = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) },
                },
            });
        }

        Assert.All(await HoldersAsync(), s => Assert.NotNull(s.Value));

        var quota = await Client.GetJson("/api/runs/can-start");
        Assert.True((bool)quota["canStart"]!);
        Assert.Equal(0, (int)quota["currentRunning"]!);
        Assert.All(await HoldersAsync(), s => Assert.Null(s.Value));

        for (var i = 0; i < RunRules.MaxRunning; i++)
        {
            await Client.StartedRun($"fresh{i}");
        }

        await (await Client.StartRun("latecomer")).AssertProblem(HttpStatusCode.BadRequest, "quota_exceeded");
    }

    [Fact]
    public async Task StartTakesASlotHeldByAnEndedRunEvenBeforeAnyListing()
    {
        var runs = new List<string>();
        for (var i = 0; i < RunRules.MaxRunning; i++)
        {
            runs.Add((await Client.StartedRun($"holder{i}")).Id());
        }

        // The first run ends in the store without its slot being released.
        await backend.Store.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = backend.RunsTable,
            Key = new() { [DynamoDbSchema.Runs.PartitionKey] = new AttributeValue(runs[0]) },
            UpdateExpression = "SET #status = :completed",
            ExpressionAttributeNames = new() { ["#status"] = DynamoDbSchema.Runs.ByStatusPartitionKey },
            ExpressionAttributeValues = new() { [":completed"] = new AttributeValue("COMPLETED") },
        });

        await Client.StartedRun("successor");
        await (await Client.StartRun("latecomer")).AssertProblem(HttpStatusCode.BadRequest, "quota_exceeded");
    }

    private async Task<Dictionary<string, string?>> HoldersAsync()
    {
        var response = await backend.Store.BatchGetItemAsync(new BatchGetItemRequest
        {
            RequestItems = new()
            {
                [backend.RunsTable] = new KeysAndAttributes
                {
                    Keys = Enumerable.Range(0, RunRules.MaxRunning)
                        .Select(i => new Dictionary<string, AttributeValue> { [DynamoDbSchema.Runs.PartitionKey] = new AttributeValue(SlotPrefix + i.ToString(CultureInfo.InvariantCulture)) })
                        .ToList(),
                    ConsistentRead = true,
                },
            },
        });
        var found = response.Responses[backend.RunsTable].ToDictionary(i => i[DynamoDbSchema.Runs.PartitionKey].S, i => i.GetValueOrDefault("holder")?.S);
        return Enumerable.Range(0, RunRules.MaxRunning)
            .Select(i => SlotPrefix + i.ToString(CultureInfo.InvariantCulture))
            .ToDictionary(slot => slot, slot => found.GetValueOrDefault(slot));
    }
}
