using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using IotPlayground.Api.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace IotPlayground.Api.Tests;

public sealed partial class PrometheusExposition : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly Meter _meter;
    private readonly PrometheusExporter _exporter;

    public PrometheusExposition()
    {
        var factory = _services.GetRequiredService<IMeterFactory>();
        _exporter = new PrometheusExporter(factory, ["Test"]);
        _meter = factory.Create("Test");
    }

    public void Dispose()
    {
        _exporter.Dispose();
        _services.Dispose();
    }

    [Fact]
    public void CountersGetTheTotalSuffixAndOneSeriesPerLabelSet()
    {
        var finished = _meter.CreateCounter<long>("runs_finished", description: "Runs ended.");
        finished.Add(2, new KeyValuePair<string, object?>("reason", "finished"));
        finished.Add(1, new KeyValuePair<string, object?>("reason", "expired"));
        finished.Add(1, new KeyValuePair<string, object?>("reason", "finished"));

        Assert.Equal(
            """
            # HELP runs_finished_total Runs ended.
            # TYPE runs_finished_total counter
            runs_finished_total{reason="expired"} 1
            runs_finished_total{reason="finished"} 3

            """.ReplaceLineEndings("\n"),
            _exporter.Scrape());
    }

    [Fact]
    public void HistogramsAreCumulativeWithInfSumAndCount()
    {
        var duration = _meter.CreateHistogram<double>("request.duration", unit: "s", description: "Request time.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });
        duration.Record(0.05);
        duration.Record(0.5);
        duration.Record(3);

        Assert.Equal(
            """
            # HELP request_duration_seconds Request time.
            # TYPE request_duration_seconds histogram
            request_duration_seconds_bucket{le="0.1"} 1
            request_duration_seconds_bucket{le="1"} 2
            request_duration_seconds_bucket{le="+Inf"} 3
            request_duration_seconds_sum 3.55
            request_duration_seconds_count 3

            """.ReplaceLineEndings("\n"),
            _exporter.Scrape());
    }

    [Fact]
    public void GaugesAreReadAtScrapeTime()
    {
        var running = 2;
        _meter.CreateObservableGauge("runs_running", () => running, description: "Running.");
        Assert.Contains("\nruns_running 2\n", _exporter.Scrape(), StringComparison.Ordinal);

        running = 4;
        Assert.Contains("\nruns_running 4\n", _exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void UpDownCountersAreGaugesOfTheirSum()
    {
        var active = _meter.CreateUpDownCounter<long>("active", description: "Active.");
        active.Add(1);
        active.Add(1);
        active.Add(-1);

        Assert.Contains("# TYPE active gauge\nactive 1\n", _exporter.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void LabelValuesAndHelpAreEscaped()
    {
        _meter.CreateCounter<long>("odd", description: "Back\\slash and\nnew line.")
            .Add(1, new KeyValuePair<string, object?>("http.route", "say \"hi\"\\\n"));

        var text = _exporter.Scrape();

        Assert.Contains("# HELP odd_total Back\\\\slash and\\nnew line.\n", text, StringComparison.Ordinal);
        Assert.Contains("odd_total{http_route=\"say \\\"hi\\\"\\\\\\n\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void InstrumentsOfAnotherHostAreNotExported()
    {
        using var otherServices = new ServiceCollection().AddMetrics().BuildServiceProvider();
        otherServices.GetRequiredService<IMeterFactory>().Create("Test").CreateCounter<long>("foreign").Add(1);
        using var unscoped = new Meter("Test");
        unscoped.CreateCounter<long>("global").Add(1);

        Assert.Empty(_exporter.Scrape());
    }

    [Fact]
    public void EveryLineIsACommentOrASampleOfTheTextFormat()
    {
        var counter = _meter.CreateCounter<double>("mixed", description: "Mixed.");
        counter.Add(0.25, new KeyValuePair<string, object?>("a", "x"), new KeyValuePair<string, object?>("b", 3));
        _meter.CreateHistogram<double>("latency", unit: "s").Record(0.2, new KeyValuePair<string, object?>("route", "/api/runs/{id}"));

        var lines = _exporter.Scrape().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(ExpositionLine(), line));
    }

    [GeneratedRegex("""^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*")*\})? ([-+]?[0-9.eE+-]+|\+Inf|-Inf|NaN))$""")]
    private static partial Regex ExpositionLine();
}
