using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using System.Text.Json.Nodes;
using IotPlayground.Domain;
using IotPlayground.Lambda.Functions;
using IotPlayground.Lambda.Runtime;
using IotPlayground.Testing;

namespace IotPlayground.Lambda.Tests;

/// <summary>What API Gateway's proxy events add to the contract: header case, base64 bodies, routes, headers of the answer.</summary>
public sealed class RunFunctionTests : IDisposable
{
    private readonly InMemoryStores _stores = new();
    private readonly StringWriter _output = new();
    private readonly ProxyFunction<RunHandlers> _function;

    public RunFunctionTests()
    {
        var log = new JsonLog(_output, EmfMetrics.RunApiService, TimeProvider.System);
        var runs = new RunService(_stores.Runs, TimeProvider.System, new EmfRunMetrics(log, TimeProvider.System));
        _function = RunFunction.Create(runs, new GrafanaLinks(new Uri("https://grafana.test")), _stores, log, corsOrigin: null);
    }

    [Fact]
    public async Task TheUserHeaderIsFoundWhateverItsCase()
    {
        var response = await SendAsync("POST", "/api/runs/start", """{"duration":60,"interval":5}""", ("x-user", "alice"));

        Assert.Equal(201, response.StatusCode);
        Assert.Equal("alice", (string?)JsonNode.Parse(response.Body)!["username"]);
    }

    [Fact]
    public async Task ABase64EncodedBodyIsReadAsTheBytesSent()
    {
        var body = Convert.ToBase64String("""{"duration":60,"interval":5}"""u8);

        var response = await _function.HandleAsync(
            ProxyEvents.Request("POST", "/api/runs/start", body, ("X-User", "alice")) with { IsBase64Encoded = true }, default);

        Assert.Equal(201, response.StatusCode);
    }

    [Fact]
    public async Task ABodyOverTheContractsLimitIs413()
    {
        var padding = new string(' ', RequestBodies.MaxBytes);

        var response = await SendAsync("POST", "/api/runs/start", $$"""{"duration":60,{{padding}}"interval":5}""", ("X-User", "alice"));

        Assert.Equal(413, response.StatusCode);
        Assert.Equal("validation_failed", (string?)JsonNode.Parse(response.Body)!["code"]);
        Assert.Empty(await _stores.Runs.ListNewestAsync(10, null, default));
    }

    [Theory]
    [InlineData("DELETE", "/api/runs/can-start")]
    [InlineData("GET", "/api/runs/a/b/c")]
    [InlineData("POST", "/health")]
    public async Task ARouteTheApiDoesNotHaveIsARouteNotFoundProblem(string method, string path)
    {
        var response = await SendAsync(method, path);

        Assert.Equal(404, response.StatusCode);
        Assert.Equal(Problems.ContentType, response.Headers["Content-Type"]);
    }

    [Fact]
    public async Task AllMarksACutListInAHeader()
    {
        // Runs of an hour ago, each past its deadline now: none holds a slot, so the quota lets them all in.
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i <= RunService.MaxAllRuns; i++)
        {
            var run = Run.Start(Guid.NewGuid(), "historian", start.AddSeconds(i), new RunRequest(60, 5, RunParams.Default));
            Assert.True(await _stores.Runs.TryStartAsync(run, DateTimeOffset.UtcNow, default));
        }

        var response = await SendAsync("GET", "/api/runs/all");

        Assert.Equal("true", response.Headers["X-Truncated"]);
        Assert.Equal(RunService.MaxAllRuns, JsonNode.Parse(response.Body)!.AsArray().Count);
    }

    [Fact]
    public async Task HealthIs503WhileTheStoreIsUnreachable()
    {
        Assert.Equal(200, (await SendAsync("GET", "/health")).StatusCode);

        _stores.Unreachable = true;
        var response = await SendAsync("GET", "/health");

        Assert.Equal(503, response.StatusCode);
        Assert.Equal("unreachable", (string?)JsonNode.Parse(response.Body)!["store"]);
    }

    [Fact]
    public async Task AScheduleClosesTheRunsPastTheirDeadline()
    {
        var startedAt = DateTimeOffset.UtcNow.AddHours(-1);
        var abandoned = Run.Start(Guid.NewGuid(), "ghost", startedAt, new RunRequest(60, 5, RunParams.Default));
        await _stores.Runs.TryStartAsync(abandoned, startedAt, default);

        await _function.RunScheduledAsync(default);

        var stored = await _stores.Runs.FindAsync(abandoned.Id, default);
        Assert.Equal(EndReason.Expired, stored!.EndReason);
        Assert.Equal("expired", (string?)Assert.Single(Emf.Lines(_output))[EmfMetrics.EndReasonProperty]);
    }

    [Fact]
    public async Task StartingARunEmitsARunStartedMetric()
    {
        await SendAsync("POST", "/api/runs/start", """{"duration":60,"interval":5}""", ("X-User", "alice"));

        var metric = Assert.Single(Emf.Lines(_output));
        Emf.AssertMetric(metric, EmfMetrics.RunStarted, "Count", EmfMetrics.RunApiService);
        Assert.Equal(1, (double?)metric[EmfMetrics.RunStarted]);
    }

    public void Dispose() => _output.Dispose();

    private Task<ApiGatewayProxyResponse> SendAsync(string method, string path, string? body = null, params (string Name, string Value)[] headers) =>
        _function.HandleAsync(ProxyEvents.Request(method, path, body, headers), default);
}
