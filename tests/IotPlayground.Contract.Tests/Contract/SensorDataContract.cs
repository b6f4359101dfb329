using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Contract;

public abstract class SensorDataContract(IBackend backend) : ContractTest(backend)
{
    [Fact]
    public async Task AReadingIsStoredAndReadBack()
    {
        var run = await Client.StartedRun("alice");
        var at = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var response = await Client.Post(
            "/api/sensors/data", "alice",
            $$"""{"runId":"{{run.Id()}}","sensorId":"greenhouse-1","timestamp":"{{at:O}}","temperature":21.25,"humidity":48.5,"pressure":1013.2}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var items = await ReadingsAsync(run.Id());
        var reading = Assert.Single(items);
        Assert.Equal("greenhouse-1", (string?)reading["sensorId"]);
        Assert.Equal(21.25, (double?)reading["temperature"]);
        Assert.Equal(48.5, (double?)reading["humidity"]);
        Assert.Equal(1013.2, (double?)reading["pressure"]);
        Assert.Equal(at.ToUnixTimeMilliseconds(), Instant(reading).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task AReadingWithoutTimestampGetsTheServersTime()
    {
        var run = await Client.StartedRun("alice");
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        (await Client.PostReading("alice", run.Id())).EnsureSuccessStatusCode();

        var stamped = Instant(Assert.Single(await ReadingsAsync(run.Id())));
        Assert.InRange(stamped, before, DateTimeOffset.UtcNow.AddSeconds(5));
    }

    [Fact]
    public async Task ABatchIsStoredWholeAndReadBackInTimeOrder()
    {
        var run = await Client.StartedRun("alice");
        var start = DateTimeOffset.UtcNow.AddSeconds(-30);
        var readings = new JsonArray();
        for (var i = 24; i >= 0; i--)
        {
            readings.Add(new JsonObject
            {
                ["runId"] = run.Id(), ["sensorId"] = $"s{i % 3}", ["timestamp"] = start.AddSeconds(i).ToString("O"), ["temperature"] = 20 + (i / 10.0),
            });
        }

        using var response = await Client.Post("/api/sensors/data", "alice", new JsonObject { ["readings"] = readings }.ToJsonString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(25, ((JsonArray)(await response.Json())["readings"]!).Count);
        var stored = await ReadingsAsync(run.Id());
        Assert.Equal(25, stored.Count);
        Assert.Equal(stored.Select(Instant).Order(), stored.Select(Instant));
    }

    [Fact]
    public async Task ABatchWithOneBadReadingStoresNothing()
    {
        var run = await Client.StartedRun("alice");
        var body = $$"""
            {"readings":[
              {"runId":"{{run.Id()}}","sensorId":"s1","temperature":20},
              {"runId":"{{run.Id()}}","sensorId":"s2","temperature":900}
            ]}
            """;

        var problem = await (await Client.Post("/api/sensors/data", "alice", body)).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");

        Assert.NotNull(problem["errors"]!["readings[1].temperature"]);
        Assert.Empty(await ReadingsAsync(run.Id()));
    }

    [Fact]
    public async Task ABatchOfMoreThanTwentyFiveReadingsIsRefused()
    {
        var run = await Client.StartedRun("alice");
        var readings = new JsonArray();
        for (var i = 0; i < 26; i++)
        {
            readings.Add(new JsonObject { ["runId"] = run.Id(), ["sensorId"] = $"s{i}", ["temperature"] = 20 });
        }

        await (await Client.Post("/api/sensors/data", "alice", new JsonObject { ["readings"] = readings }.ToJsonString()))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Empty(await ReadingsAsync(run.Id()));
    }

    [Theory]
    [InlineData("\"temperature\":-120")]
    [InlineData("\"temperature\":151")]
    [InlineData("\"temperature\":20,\"humidity\":-1")]
    [InlineData("\"temperature\":20,\"humidity\":100.5")]
    [InlineData("\"temperature\":20,\"pressure\":50")]
    [InlineData("\"temperature\":20,\"pressure\":5000")]
    [InlineData("\"humidity\":40")]
    [InlineData("\"temperature\":20,\"timestamp\":\"2999-01-01T00:00:00Z\"")]
    [InlineData("\"temperature\":20,\"timestamp\":\"2001-01-01T00:00:00Z\"")]
    public async Task ReadingsOutsidePhysicalRangesOrTheRunsWindowAreRefused(string fields)
    {
        var run = await Client.StartedRun("alice");

        await (await Client.Post("/api/sensors/data", "alice", $$"""{"runId":"{{run.Id()}}","sensorId":"s1",{{fields}}}"""))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Empty(await ReadingsAsync(run.Id()));
    }

    [Fact]
    public async Task ReadingsForAFinishedOrUnknownRunAreRefused()
    {
        var run = await Client.StartedRun("alice");
        (await Client.Post($"/api/runs/{run.Id()}/finish", "alice")).EnsureSuccessStatusCode();

        await (await Client.PostReading("alice", run.Id())).AssertProblem(HttpStatusCode.Conflict, "run_not_running");
        await (await Client.PostReading("alice", Guid.NewGuid().ToString())).AssertProblem(HttpStatusCode.NotFound, "run_not_found");
        Assert.Empty(await ReadingsAsync(run.Id()));
    }

    [Fact]
    public async Task ARetriedReadingIsStoredOnce()
    {
        var run = await Client.StartedRun("alice");
        var at = DateTimeOffset.UtcNow.AddSeconds(-2);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            (await Client.PostReading("alice", run.Id(), timestamp: at)).EnsureSuccessStatusCode();
        }

        Assert.Single(await ReadingsAsync(run.Id()));
    }

    [Fact]
    public async Task ReadingsArePagedByCursorAndFilteredBySensorAndTime()
    {
        var run = await Client.StartedRun("alice");
        var start = ApiCalls.Now().AddSeconds(-40);
        for (var i = 0; i < 20; i++)
        {
            (await Client.PostReading("alice", run.Id(), $"s{i % 2}", 20, start.AddSeconds(i))).EnsureSuccessStatusCode();
        }

        var all = new List<JsonNode>();
        string? cursor = null;
        do
        {
            var page = await Client.GetJson($"/api/sensors/data?runId={run.Id()}&limit=7" + (cursor is null ? "" : $"&cursor={cursor}"));
            all.AddRange(((JsonArray)page["items"]!)!.Select(n => n!));
            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);

        Assert.Equal(20, all.Count);
        Assert.Equal(all.Select(Instant).Order(), all.Select(Instant));

        var s1 = await ReadingsAsync(run.Id(), "&sensorId=s1");
        Assert.Equal(10, s1.Count);
        Assert.All(s1, r => Assert.Equal("s1", (string?)r["sensorId"]));

        var from = Uri.EscapeDataString(start.AddSeconds(5).ToString("O"));
        var to = Uri.EscapeDataString(start.AddSeconds(9).ToString("O"));
        Assert.Equal(5, (await ReadingsAsync(run.Id(), $"&from={from}&to={to}")).Count);
    }

    [Theory]
    [InlineData("/api/sensors/data")]
    [InlineData("/api/sensors/data?runId=abc")]
    [InlineData("/api/sensors/data?runId=00000000-0000-0000-0000-000000000001&limit=5000")]
    [InlineData("/api/sensors/data?runId=00000000-0000-0000-0000-000000000001&from=yesterday")]
    [InlineData("/api/sensors/data?runId=00000000-0000-0000-0000-000000000001&cursor=xyz")]
    [InlineData("/api/sensors/data?runId=00000000-0000-0000-0000-000000000001&sensorId=%3Cscript%3E")]
    [InlineData("/api/sensors/data?runId=00000000-0000-0000-0000-000000000001&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")]
    public async Task ABadReadingQueryIsRefused(string path)
    {
        await (await Client.Get(path)).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task ReadingsOfAnUnknownRunAreNotFound()
    {
        await (await Client.Get($"/api/sensors/data?runId={Guid.NewGuid()}")).AssertProblem(HttpStatusCode.NotFound, "run_not_found");
    }

    [Fact]
    public async Task ASensorsFewReadingsAmongManyArePagedToTheEndByCursor()
    {
        var run = await Client.StartedRun("alice", duration: 3_600, interval: 1);
        var quiet = new[] { 10, 150, 199 };
        await PostManyAsync(run.Id(), 200, i => quiet.Contains(i) ? "quiet" : "busy");

        var found = new List<JsonNode>();
        var pages = 0;
        for (string? cursor = null; pages == 0 || cursor is not null; pages++)
        {
            var page = await Client.GetJson($"/api/sensors/data?runId={run.Id()}&sensorId=quiet&limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            var items = (JsonArray)page["items"]!;
            Assert.True(items.Count <= 2);
            found.AddRange(items.Select(n => n!));
            cursor = (string?)page["nextCursor"];
            Assert.True(pages < 200, "The cursor does not get to the end.");
        }

        Assert.Equal(3, found.Count);
        Assert.All(found, r => Assert.Equal("quiet", (string?)r["sensorId"]));
        Assert.Equal(found.OrderBy(Instant), found);
    }

    /// <summary>Stores <paramref name="count"/> readings a millisecond apart, in batches of 25, sensor by index.</summary>
    internal static async Task PostManyAsync(HttpClient client, string runId, int count, Func<int, string> sensorOf)
    {
        var start = ApiCalls.Now().AddSeconds(-30);
        foreach (var chunk in Enumerable.Range(0, count).Chunk(25))
        {
            var readings = new JsonArray(chunk.Select(i => (JsonNode)new JsonObject
            {
                ["runId"] = runId,
                ["sensorId"] = sensorOf(i),
                ["temperature"] = 20,
                ["timestamp"] = start.AddMilliseconds(i).ToString("O"),
            }).ToArray());
            using var response = await client.Post("/api/sensors/data", "alice", new JsonObject { ["readings"] = readings }.ToJsonString());
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    private Task PostManyAsync(string runId, int count, Func<int, string> sensorOf) => PostManyAsync(Client, runId, count, sensorOf);

    private async Task<List<JsonNode>> ReadingsAsync(string runId, string filters = "")
    {
        var page = await Client.GetJson($"/api/sensors/data?runId={runId}&limit=1000{filters}");
        return ((JsonArray)page["items"]!).Select(n => n!).ToList();
    }

    private static DateTimeOffset Instant(JsonNode reading) =>
        DateTimeOffset.Parse((string)reading["timestamp"]!, CultureInfo.InvariantCulture);
}

public sealed class ContainerSensorData(ThroughPrism<ContainerBackend> backend) : SensorDataContract(backend), IClassFixture<ThroughPrism<ContainerBackend>>;
public sealed class ServerlessSensorData(ThroughPrism<ServerlessBackend> backend) : SensorDataContract(backend), IClassFixture<ThroughPrism<ServerlessBackend>>;
