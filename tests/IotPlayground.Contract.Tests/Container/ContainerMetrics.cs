using System.Net;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Container;

/// <summary>The container API's /metrics, which the ECS environment's Prometheus scrapes.</summary>
public sealed class ContainerMetrics(ContainerBackend backend) : IClassFixture<ContainerBackend>, IAsyncLifetime
{
    private readonly HttpClient _client = backend.CreateClient();

    public Task InitializeAsync() => backend.ResetAsync();

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task MetricsCountRunsReadingsAndRequests()
    {
        var finished = await _client.StartedRun("alice");
        await _client.StartedRun("bob");
        for (var i = 0; i < 3; i++)
        {
            (await _client.PostReading("alice", finished.Id(), timestamp: ApiCalls.Now().AddMilliseconds(-i))).EnsureSuccessStatusCode();
        }

        (await _client.Post($"/api/runs/{finished.Id()}/finish", "alice")).EnsureSuccessStatusCode();

        var text = await ScrapeUntilAsync("runs_running 1\n");

        Assert.Contains("# TYPE runs_started_total counter\nruns_started_total 2\n", text, StringComparison.Ordinal);
        Assert.Contains("runs_finished_total{reason=\"finished\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("sensor_readings_ingested_total 3\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/api/runs/{id}/finish\"", text, StringComparison.Ordinal);
    }

    /// <summary>runs_running comes from the store through the periodic sweep: poll, bounded, until it shows.</summary>
    private Task<string> ScrapeUntilAsync(string expected) =>
        Eventually.Async(
            async () =>
            {
                using var response = await _client.Get("/metrics");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
                return await response.Content.ReadAsStringAsync();
            },
            text => text.Contains(expected, StringComparison.Ordinal),
            TimeSpan.FromSeconds(20),
            text => $"/metrics never showed '{expected.Trim()}':\n{text}");
}
