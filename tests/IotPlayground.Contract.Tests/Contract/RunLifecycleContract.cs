using System.Net;
using System.Text.Json.Nodes;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Contract;

public abstract class RunLifecycleContract(IBackend backend) : ContractTest(backend)
{
    [Fact]
    public async Task StartAnswersTheRunWithItsGrafanaLink()
    {
        using var response = await Client.Post(
            "/api/runs/start", "alice", """{"duration":120,"interval":4,"params":{"sensorCount":3,"measures":["pressure","humidity"]}}""");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var run = await response.Json();
        Assert.True(Guid.TryParse(run.Id(), out _));
        Assert.Equal("alice", (string?)run["username"]);
        Assert.Equal("RUNNING", (string?)run["status"]);
        Assert.Equal(120, (int?)run["duration"]);
        Assert.Equal(4, (int?)run["interval"]);
        Assert.Equal(3, (int?)run["params"]!["sensorCount"]);
        Assert.Equal(["temperature", "humidity", "pressure"], ((JsonArray)run["params"]!["measures"]!).Select(m => (string?)m));
        Assert.Null(run["finishedAt"]);
        Assert.Null(run["endReason"]);

        var startedAt = DateTimeOffset.Parse((string)run["startedAt"]!, System.Globalization.CultureInfo.InvariantCulture);
        var from = startedAt.ToUnixTimeMilliseconds();
        Assert.Equal(
            $"{ContainerBackend.GrafanaBaseUrl}/d/iot-run/run?var-runId={run.Id()}&from={from}&to={from + 120_000}",
            (string?)run["grafanaUrl"]);
    }

    [Fact]
    public async Task CanStartCountsRunningRunsAgainstTheQuota()
    {
        await Client.StartedRun("alice");
        await Client.StartedRun("bob");

        var quota = await Client.GetJson("/api/runs/can-start");

        Assert.True((bool)quota["canStart"]!);
        Assert.Equal(2, (int)quota["currentRunning"]!);
        Assert.Equal(5, (int)quota["maxAllowed"]!);
    }

    [Fact]
    public async Task RunningListsTheRunningRunsOfEveryUser()
    {
        var alices = await Client.StartedRun("alice");
        var bobs = await Client.StartedRun("bob");
        var finished = await Client.StartedRun("carol");
        (await Client.Post($"/api/runs/{finished.Id()}/finish", "carol")).EnsureSuccessStatusCode();

        using var response = await Client.Get("/api/runs/running");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { alices.Id(), bobs.Id() }.Order(), (await response.JsonArray()).Select(r => (string)r!["id"]!).Order());
    }

    [Fact]
    public async Task GetAnswersAStoredRunAndRefusesAnUnknownOrMalformedId()
    {
        var run = await Client.StartedRun("alice");

        Assert.Equal(run.ToJsonString(), (await Client.GetJson($"/api/runs/{run.Id()}")).ToJsonString());
        await (await Client.Get($"/api/runs/{Guid.NewGuid()}")).AssertProblem(HttpStatusCode.NotFound, "run_not_found");
        await (await Client.Get("/api/runs/not-a-uuid")).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task OnlyTheOwnerCanFinishARunAndOnlyOnce()
    {
        var run = await Client.StartedRun("alice");

        await (await Client.Post($"/api/runs/{run.Id()}/finish", "mallory")).AssertProblem(HttpStatusCode.Forbidden, "not_owner");
        using var finish = await Client.Post($"/api/runs/{run.Id()}/finish", "alice");
        Assert.Equal(HttpStatusCode.OK, finish.StatusCode);
        var finished = await finish.Json();
        Assert.Equal("COMPLETED", (string?)finished["status"]);
        Assert.Equal("finished", (string?)finished["endReason"]);
        Assert.NotNull(finished["finishedAt"]);
        await (await Client.Post($"/api/runs/{run.Id()}/finish", "alice")).AssertProblem(HttpStatusCode.Conflict, "run_not_running");
        Assert.Equal("COMPLETED", (string?)(await Client.GetJson($"/api/runs/{run.Id()}"))["status"]);
    }

    [Fact]
    public async Task FinishingAnUnknownRunIsNotFound()
    {
        await (await Client.Post($"/api/runs/{Guid.NewGuid()}/finish", "alice")).AssertProblem(HttpStatusCode.NotFound, "run_not_found");
        await (await Client.Post("/api/runs/42/finish", "alice")).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task InterruptAllEndsEveryRunningRunAndNothingElse()
    {
        var first = await Client.StartedRun("alice");
        var second = await Client.StartedRun("bob");
        var finished = await Client.StartedRun("carol");
        (await Client.Post($"/api/runs/{finished.Id()}/finish", "carol")).EnsureSuccessStatusCode();

        using var response = await Client.Post("/api/runs/interrupt-all", "dave");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (int?)(await response.Json())["interrupted"]);
        foreach (var run in new[] { first, second })
        {
            var stored = await Client.GetJson($"/api/runs/{run.Id()}");
            Assert.Equal("INTERRUPTED", (string?)stored["status"]);
            Assert.Equal("interrupted", (string?)stored["endReason"]);
        }

        Assert.Equal("COMPLETED", (string?)(await Client.GetJson($"/api/runs/{finished.Id()}"))["status"]);
        Assert.Equal(0, await Client.RunningCount());
    }

    [Fact]
    public async Task HealthSaysTheStoreIsReachable()
    {
        var health = await Client.GetJson("/health");

        Assert.Equal("ok", (string?)health["status"]);
    }
}

public sealed class ContainerRunLifecycle(ThroughPrism<ContainerBackend> backend) : RunLifecycleContract(backend), IClassFixture<ThroughPrism<ContainerBackend>>;
public sealed class ServerlessRunLifecycle(ThroughPrism<ServerlessBackend> backend) : RunLifecycleContract(backend), IClassFixture<ThroughPrism<ServerlessBackend>>;
