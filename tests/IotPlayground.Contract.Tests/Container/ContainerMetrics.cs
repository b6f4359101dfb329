using System.Globalization;
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
        var before = Samples(await ScrapeAsync(_client));
        await SomeTrafficAsync();

        // Scraped until the readings show (the exporter caches an answer briefly) and the sweep has counted the run
        // still running.
        var text = await ScrapeUntilAsync(samples => samples.GetValueOrDefault("runs_running") == 1
            && samples.GetValueOrDefault("sensor_readings_ingested_total") > before.GetValueOrDefault("sensor_readings_ingested_total"));
        var after = Samples(text);

        Assert.Contains("# TYPE runs_started_total counter\n", text, StringComparison.Ordinal);
        Assert.Equal(2, Increase("runs_started_total"));
        Assert.Equal(1, Increase("runs_finished_total{reason=\"finished\"}"));
        Assert.Equal(3, Increase("sensor_readings_ingested_total"));
        Assert.Contains("# TYPE http_server_request_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains(after.Keys, key => key.StartsWith("http_server_request_duration_seconds_bucket{", StringComparison.Ordinal)
            && key.Contains("http_route=\"/api/runs/{id}/finish\"", StringComparison.Ordinal));
        Assert.Contains(after.Keys, key => key.StartsWith("db_client_operation_duration_seconds_count{", StringComparison.Ordinal));

        double Increase(string series) => after.GetValueOrDefault(series) - before.GetValueOrDefault(series);
    }

    [Fact]
    public async Task PromtoolAcceptsTheExpositionAfterTraffic()
    {
        await SomeTrafficAsync();
        (await _client.Get("/api/runs/not-a-run")).Dispose();
        var text = await ScrapeUntilAsync(samples => samples.ContainsKey("runs_finished_total{reason=\"finished\"}"));

        var (exitCode, output) = await Promtool.CheckMetricsAsync(text);

        Assert.True(exitCode == 0, $"promtool check metrics refused /metrics (exit {exitCode}):\n{output}\n{text}");
    }

    /// <summary>The check above can fail: promtool refuses a counter without _total and a broken sample line.</summary>
    [Theory]
    [InlineData("runs_started_total", "runs_started", "should have \"_total\" suffix")]
    [InlineData("runs_running{} ", "runs_running{reason=\"open} ", "parsing error")]
    public async Task PromtoolRefusesABrokenExposition(string from, string to, string complaint)
    {
        await SomeTrafficAsync();
        var text = await ScrapeUntilAsync(samples => samples.ContainsKey("runs_running"));
        Assert.Contains(from, text, StringComparison.Ordinal);

        var (exitCode, output) = await Promtool.CheckMetricsAsync(text.Replace(from, to, StringComparison.Ordinal));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(complaint, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherApiHostInTheSameProcessIsNotCounted()
    {
        var before = Samples(await ScrapeAsync(_client));
        var other = new ContainerBackend();
        await other.InitializeAsync();
        try
        {
            using var otherClient = other.CreateClient();
            await otherClient.StartedRun("carol");
            await otherClient.StartedRun("dave");
            await _client.StartedRun("alice");

            // Scraped until this host's own start shows: an answer from before it (the exporter caches one briefly)
            // would hide the other host's starts too.
            var after = Samples(await ScrapeUntilAsync(samples =>
                samples.GetValueOrDefault("runs_started_total") > before.GetValueOrDefault("runs_started_total")));
            var others = Samples(await ScrapeAsync(otherClient));

            Assert.Equal(1, after["runs_started_total"] - before.GetValueOrDefault("runs_started_total"));
            Assert.Equal(2, others["runs_started_total"]);
            Assert.Equal(1, StartRequests(after) - StartRequests(before));
        }
        finally
        {
            await other.DisposeAsync();
        }

        static double StartRequests(Dictionary<string, double> samples) => samples
            .Where(s => s.Key.StartsWith("http_server_request_duration_seconds_count{", StringComparison.Ordinal)
                && s.Key.Contains("http_route=\"/api/runs/start\"", StringComparison.Ordinal))
            .Sum(s => s.Value);
    }

    /// <summary>Two runs started, one finished by its owner, three readings of it.</summary>
    private async Task SomeTrafficAsync()
    {
        var finished = await _client.StartedRun("alice");
        await _client.StartedRun("bob");
        for (var i = 0; i < 3; i++)
        {
            (await _client.PostReading("alice", finished.Id(), timestamp: ApiCalls.Now().AddMilliseconds(-i))).EnsureSuccessStatusCode();
        }

        (await _client.Post($"/api/runs/{finished.Id()}/finish", "alice")).EnsureSuccessStatusCode();
    }

    private static async Task<string> ScrapeAsync(HttpClient client)
    {
        using var response = await client.Get("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Polls, bounded, until the scrape shows what the test waits for.</summary>
    private Task<string> ScrapeUntilAsync(Func<Dictionary<string, double>, bool> shows) =>
        Eventually.Async(
            () => ScrapeAsync(_client),
            text => shows(Samples(text)),
            TimeSpan.FromSeconds(20),
            text => $"/metrics never showed what the test waits for:\n{text}");

    /// <summary>Each sample line's series (name and labels as written, <c>{}</c> for none dropped) and value.</summary>
    private static Dictionary<string, double> Samples(string text) => text
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(line => !line.StartsWith('#'))
        .Select(line => (Series: line[..line.LastIndexOf(' ')], Value: line[(line.LastIndexOf(' ') + 1)..]))
        .ToDictionary(
            sample => sample.Series.EndsWith("{}", StringComparison.Ordinal) ? sample.Series[..^2] : sample.Series,
            sample => double.Parse(sample.Value, CultureInfo.InvariantCulture));
}
