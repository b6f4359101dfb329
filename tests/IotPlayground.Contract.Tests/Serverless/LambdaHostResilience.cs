using System.Diagnostics;
using System.Net;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Contract.Tests.Contract;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Serverless;

/// <summary>
/// The local host does what Lambda does when clients hang up and execution environments die: the invocation goes
/// on and its late answer is dropped, a dead instance is replaced on the next invocation, and the API keeps answering.
/// </summary>
public sealed class LambdaHostResilience(ServerlessBackend backend) : ContractTest(backend), IClassFixture<ServerlessBackend>
{
    private static readonly TimeSpan HangUpAfter = TimeSpan.FromMilliseconds(50);

    [Fact]
    public async Task AHundredAndFiftyAbandonedRequestsLeaveTheApiAnsweringEveryCall()
    {
        var abandoned = await Task.WhenAll(Enumerable.Range(0, 150).Select(async i =>
        {
            // A client of its own per request, so that hanging up closes its connection as a browser tab would.
            using var client = backend.CreateClient();
            using var hangUp = new CancellationTokenSource(HangUpAfter);
            var path = (i % 3) switch
            {
                0 => "/api/runs/can-start",
                1 => "/api/runs?limit=100",
                _ => $"/api/sensors/data?runId={Guid.NewGuid()}",
            };
            try
            {
                using var response = await client.GetAsync(new Uri(path, UriKind.Relative), hangUp.Token);
                return false;
            }
            catch (OperationCanceledException)
            {
                return true;
            }
        }));
        Assert.True(abandoned.Count(a => a) >= 100, $"Only {abandoned.Count(a => a)} of 150 requests were abandoned: the test proves nothing.");

        for (var i = 0; i < 20; i++)
        {
            using var response = await Client.Get(i % 2 == 0 ? "/api/runs/can-start" : "/api/runs/running");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Call {i} after the abandoned ones got {(int)response.StatusCode}.");
        }

        using var started = await Client.StartRun("after-the-storm");
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
    }

    [Fact]
    public async Task InstancesKeepAnsweringWhileTheirLogOutgrowsAPipe()
    {
        // The sensor function logs a line per reading: 2,000 readings write several pipe buffers' worth (64 KiB each)
        // through every instance, which blocks an instance whose output nobody reads.
        var run = await Client.StartedRun("talkative");
        var start = ApiCalls.Now();
        for (var batch = 0; batch < 80; batch++)
        {
            var readings = Enumerable.Range(0, 25).Select(i =>
                $$"""{"runId":"{{run.Id()}}","sensorId":"s{{i}}","timestamp":"{{start.AddMilliseconds(batch):O}}","temperature":21.5}""");
            using var response = await Client.Post("/api/sensors/data", "talkative", $$"""{"readings":[{{string.Join(',', readings)}}]}""");
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"Batch {batch} got {(int)response.StatusCode}.");
        }

        using var finished = await Client.Post($"/api/runs/{run.Id()}/finish", "talkative");
        Assert.Equal(HttpStatusCode.OK, finished.StatusCode);
    }

    [Fact]
    public async Task AnInstanceThatDiedIsReplacedOnTheNextInvocation()
    {
        var instances = backend.FunctionProcessIds();
        Assert.NotEmpty(instances);
        foreach (var pid in instances)
        {
            using var instance = Process.GetProcessById(pid);
            instance.Kill();
            await instance.WaitForExitAsync();
        }

        for (var i = 0; i < 6; i++)
        {
            using var response = await Client.Get(i % 2 == 0 ? "/api/runs/can-start" : $"/api/sensors/data?runId={Guid.NewGuid()}");
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"Call {i} after the instances died got {(int)response.StatusCode}.");
        }

        Assert.Empty(backend.FunctionProcessIds().Intersect(instances));
    }
}
