using System.Text.Json.Nodes;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Contract.Tests.Contract;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Serverless;

/// <summary>
/// A sensor-filtered query on DynamoDB reads the run's readings up to the page's limit and no further: DynamoDB
/// filters after it reads, so a page may hold fewer matches than its limit, and its cursor goes on from where the
/// read stopped rather than the whole partition being read in one request.
/// </summary>
public sealed class ServerlessBoundedReads(ServerlessBackend backend) : ContractTest(backend), IClassFixture<ServerlessBackend>
{
    [Fact]
    public async Task AFilteredPageStopsAtItsLimitAndItsCursorGoesOn()
    {
        var run = await Client.StartedRun("alice", duration: 3_600, interval: 1);
        await SensorDataContract.PostManyAsync(Client, run.Id(), 200, i => i == 199 ? "quiet" : "busy");

        var first = await Client.GetJson($"/api/sensors/data?runId={run.Id()}&sensorId=quiet&limit=10");

        Assert.Empty((JsonArray)first["items"]!);
        var cursor = Assert.IsType<string>((string?)first["nextCursor"]);
        var next = await Client.GetJson($"/api/sensors/data?runId={run.Id()}&sensorId=quiet&limit=1000&cursor={Uri.EscapeDataString(cursor)}");
        Assert.Equal("quiet", (string?)Assert.Single((JsonArray)next["items"]!)!["sensorId"]);
        Assert.Null((string?)next["nextCursor"]);
    }
}
