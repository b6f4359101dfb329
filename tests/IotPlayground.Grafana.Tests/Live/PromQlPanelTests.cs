using System.Globalization;
using System.Text.Json.Nodes;
using IotPlayground.Testing;

namespace IotPlayground.Grafana.Tests.Live;

/// <summary>
/// Every PromQL query of the ECS dashboards, with Grafana's interval variables filled in, asked of a real Prometheus
/// that scraped the container API after the fixture's run: Prometheus must accept it and answer with data.
/// </summary>
[Collection(LiveEcsTests.Name)]
public sealed class PromQlPanelTests(LiveEcsEnvironment stack)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task EveryPromQlQueryIsAcceptedAndAnswersWithData()
    {
        var queries = Dashboard.Of(Architecture.Ecs).SelectMany(d => d.Queries).Where(q => q.Datasource.Type == "prometheus").ToList();
        Assert.NotEmpty(queries);

        // Counters and histograms need two scrapes after the traffic before rate() and increase() have data:
        // ask again until every query has some, or the patience runs out. An error is final at once.
        await Eventually.Async(
            async () =>
            {
                var empty = new List<string>();
                foreach (var query in queries)
                {
                    var (error, series) = await AskAsync(query);
                    Assert.True(error is null, $"{query}: Prometheus refused '{Expand(query)}': {error}");
                    if (series == 0)
                    {
                        empty.Add($"{query}: {Expand(query)}");
                    }
                }

                return empty;
            },
            empty => empty.Count == 0,
            Patience,
            empty => $"no data from:\n{string.Join('\n', empty)}");
    }

    [Fact]
    public async Task PrometheusScrapesTheContainerApiWithTheShippedJob()
    {
        var jobs = PrometheusScrapeConfig.JobNames(Repository.PrometheusConfig);
        var result = await Eventually.Async(
            () => ResultAsync("api/v1/query?query=" + Uri.EscapeDataString("up == 1")), up => up.Count > 0, Patience, _ => "Prometheus scraped no target.");

        var job = (string?)Assert.Single(result)!["metric"]!["job"];
        Assert.Contains(job!, jobs);
    }

    private string Expand(Query query)
    {
        var range = DateTimeOffset.UtcNow - stack.TrafficStartedAt + TimeSpan.FromMinutes(1);
        return GrafanaTemplate.Expand(query.Text("expr"), new Dictionary<string, string>
        {
            // What Grafana computes for a short window over a 1 s scrape interval.
            ["__interval"] = "1s",
            ["__rate_interval"] = "10s",
            ["__range"] = GrafanaTemplate.FormatDuration(range),
        });
    }

    private async Task<(string? Error, int Series)> AskAsync(Query query)
    {
        var expr = Uri.EscapeDataString(Expand(query));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        var path = (bool?)query.Target["instant"] == true
            ? $"api/v1/query?query={expr}&time={Seconds(now)}"
            : $"api/v1/query_range?query={expr}&start={Seconds(stack.TrafficStartedAt.ToUnixTimeMilliseconds() / 1000.0)}&end={Seconds(now)}&step=1";
        using var response = await stack.Prometheus.GetAsync(new Uri(path, UriKind.Relative));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if ((string?)body["status"] != "success")
        {
            return ($"{(string?)body["errorType"]}: {(string?)body["error"]}", 0);
        }

        var result = (JsonArray)body["data"]!["result"]!;
        return (null, result.Count(series => series!["values"] is JsonArray { Count: > 0 } || series["value"] is not null));
    }

    private async Task<JsonArray> ResultAsync(string path)
    {
        using var response = await stack.Prometheus.GetAsync(new Uri(path, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        return (JsonArray)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["data"]!["result"]!;
    }

    private static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
