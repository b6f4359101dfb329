using System.Diagnostics;
using System.Text.RegularExpressions;
using IotPlayground.Grafana.Tests.Live;

namespace IotPlayground.Grafana.Tests;

/// <summary>apps/prometheus/prometheus.yml is the configuration the ECS environment's Prometheus runs.</summary>
public sealed partial class PrometheusConfigTests
{
    [Fact]
    public async Task PromtoolAcceptsTheScrapeConfiguration()
    {
        var start = new ProcessStartInfo("promtool", ["check", "config", Repository.PrometheusConfig])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("promtool is not installed: run tests/scripts/install-prerequisites.sh");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, $"promtool check config failed:\n{await output}\n{await error}");
    }

    [Fact]
    public void EveryJobTheDashboardsSelectIsScraped()
    {
        var scraped = PrometheusScrapeConfig.JobNames(Repository.PrometheusConfig);
        var selected = Dashboard.Of(Architecture.Ecs)
            .SelectMany(d => d.Queries)
            .Where(q => q.Datasource.Type == "prometheus")
            .SelectMany(q => JobSelector().Matches(q.Text("expr")).Select(m => (Query: q, Job: m.Groups["job"].Value)))
            .ToList();

        Assert.NotEmpty(selected);
        Assert.All(selected, s => Assert.True(scraped.Contains(s.Job), $"{s.Query} selects job \"{s.Job}\", which prometheus.yml does not scrape."));
    }

    [GeneratedRegex(@"job\s*=\s*""(?<job>[^""]+)""")]
    private static partial Regex JobSelector();
}
