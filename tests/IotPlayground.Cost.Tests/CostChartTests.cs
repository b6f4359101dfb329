using System.Globalization;
using System.Xml.Linq;

namespace IotPlayground.Cost.Tests;

/// <summary>The chart of cost.html: what it draws for a report, read back from its SVG.</summary>
public sealed class CostChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void EachEnvironmentIsALineWithGrafanaAndADashedOneWithoutInTheLegend()
    {
        var chart = ChartOf(Report());

        Assert.Equal(
            ["dev", "dev without Grafana", "serverless-dev", "serverless-dev without Grafana"],
            LegendNames(chart));
        var lines = chart.Descendants(Svg + "polyline").ToList();
        Assert.Equal(4, lines.Count);
        Assert.Equal([false, true, false, true], lines.Select(l => l.Attribute("stroke-dasharray") is not null));
    }

    [Fact]
    public void EveryCrossoverIsMarkedWithItsLoadAndTheLoadAxisReachesTwiceTheHighest()
    {
        var report = Report();
        var chart = ChartOf(report);
        var texts = chart.Descendants(Svg + "text").Select(t => t.Value).ToList();

        var loads = report.Crossovers.Select(c => c.SimulationsPerDay!.Value).ToList();
        Assert.Equal(2, loads.Count);
        Assert.All(loads, load => Assert.Contains(load.ToString("N0", CultureInfo.InvariantCulture), texts));
        var ticks = texts.Select(t => double.TryParse(t, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value) ? value : (double?)null)
            .OfType<double>()
            .ToList();
        Assert.True(ticks.Max() >= 2 * loads.Max(), $"The highest tick, {ticks.Max()}, is below twice the highest crossover, {loads.Max()}.");
        Assert.Contains("simulations a day (seed)", texts);
        Assert.Contains("$ / month", texts);
    }

    private static IReadOnlyList<string> LegendNames(XElement chart) =>
        [.. chart.Elements(Svg + "rect").Select(swatch => (string)swatch.ElementsAfterSelf(Svg + "text").First())];

    private static XElement ChartOf(CostReport report)
    {
        var html = ReportWriter.Html(report);
        var start = html.IndexOf("<svg", StringComparison.Ordinal);
        var end = html.IndexOf("</svg>", start, StringComparison.Ordinal) + "</svg>".Length;
        var chart = XElement.Parse(html[start..end]);
        Assert.Equal("Monthly cost against simulations a day", (string?)chart.Attribute("aria-label"));
        return chart;
    }

    /// <summary>An ECS environment dear idle and cheap per simulation, a serverless one the other way round.</summary>
    private static CostReport Report()
    {
        var dev = EnvironmentOf("dev", "ecs", idle: 60, grafana: 5, perSimulation: 0.00001);
        var serverless = EnvironmentOf("serverless-dev", "serverless", idle: 1, grafana: 7, perSimulation: 0.0003);
        CrossoverResult Between(bool withGrafana)
        {
            var (a, b) = (dev.Curve(withGrafana), serverless.Curve(withGrafana));
            return new CrossoverResult(a.Name, b.Name, true, Crossover.SimulationsPerDay(a, b));
        }

        CrossoverResult[] crossovers = [Between(withGrafana: true), Between(withGrafana: false)];
        var profile = new UsageProfile("seed", "A 60 s run.", "hand", new SimulationUsage(1, 1, 1, 1, 1, 1, 1), new IdleUsage(10));
        return new CostReport(new DateOnly(2026, 12, 1), "USD", profile, [dev, serverless], [], crossovers, new Dictionary<string, IReadOnlyDictionary<string, PriceEntry>>());
    }

    private static EnvironmentCost EnvironmentOf(string name, string architecture, double idle, double grafana, double perSimulation) =>
        new(
            name,
            architecture,
            "eu-west-1",
            [
                new StackCost($"{name}-Backend", "Backend", [new CostLine($"{name}-Backend", "Backend", "AWS::Example::Backend", idle, "by hand")]),
                new StackCost($"{name}-Grafana", "Grafana", [new CostLine($"{name}-Grafana", "Grafana", "AWS::Example::Grafana", grafana, "by hand")]),
            ],
            perSimulation,
            null);
}
