using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using IotPlayground.Charts;

namespace IotPlayground.Cost;

/// <summary>Writes a cost report as Markdown, as a self-contained HTML page with the cost-against-load chart, and as JSON.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly string[] LineColours = ["#1f77b4", "#aec7e8", "#d62728", "#ff9896"];

    public static void WriteAll(CostReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "cost.md"), Markdown(report));
        File.WriteAllText(Path.Combine(directory, "cost.html"), Html(report));
        File.WriteAllText(Path.Combine(directory, "cost.json"), JsonSerializer.Serialize(report, Json));
    }

    public const string SummaryStart = "<!-- cost summary: written by apps/IotPlayground.Cost (--update-readme), not by hand -->";
    public const string SummaryEnd = "<!-- end of cost summary -->";

    private const string StackHeading = "#### ";

    /// <summary>The Markdown between the summary markers of <paramref name="markdown"/>, replaced by the report's summary.</summary>
    public static string ReplaceSummary(string markdown, CostReport report)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var start = markdown.IndexOf(SummaryStart, StringComparison.Ordinal);
        var end = markdown.IndexOf(SummaryEnd, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidDataException($"The file has no block between '{SummaryStart}' and '{SummaryEnd}'.");
        }

        return markdown[..(start + SummaryStart.Length)] + Environment.NewLine + Summary(report) + markdown[end..];
    }

    /// <summary>The environments and the crossovers, without the per-resource tables.</summary>
    public static string Summary(CostReport report)
    {
        var full = Markdown(report);
        var perStack = full.IndexOf(Environment.NewLine + StackHeading, StringComparison.Ordinal);
        return perStack < 0 ? full : full[..(perStack + Environment.NewLine.Length)];
    }

    public static string Markdown(CostReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine(Invariant($"Price table of {report.PricesReadOn:yyyy-MM-dd}, each price with its source and the date it was read in `cost.md` ({report.Currency}, a month of {IdleCosts.HoursPerMonth} hours); usage profile `{report.Profile.Name}`: {report.Profile.Description}"));
        var missing = report.Environments.SelectMany(e => e.MissingPrices).Concat(report.Shared.SelectMany(s => s.MissingPrices)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            md.AppendLine();
            md.AppendLine($"**Lower bounds**: the price table has no price for {string.Join(", ", missing)}; the resources that need one are listed unpriced, the totals that include them are lower bounds, and a crossover computed from a lower bound is given as a bound.");
        }

        md.AppendLine();
        md.AppendLine("| environment | architecture | prices of | idle / month | idle without Grafana | per simulation |");
        md.AppendLine("|---|---|---|---:|---:|---:|");
        foreach (var e in report.Environments)
        {
            md.AppendLine(Invariant($"| {e.Environment} | {e.Architecture} | {e.Region} | {Idle(e.Curve(withGrafana: true))} | {Idle(e.Curve(withGrafana: false))} | {Money(e.PerSimulation, 5)} |"));
        }

        md.AppendLine();
        md.AppendLine("| crossover | simulations a day at equal cost |");
        md.AppendLine("|---|---:|");
        foreach (var c in report.Crossovers)
        {
            md.AppendLine(Invariant($"| {c.Between} = {c.And} | {Load(c)} |"));
        }

        md.AppendLine();
        md.AppendLine("What each environment's idle cost is made of, by resource type (Grafana's stack apart):");
        md.AppendLine();
        md.AppendLine("| environment | resource type | resources | idle / month |");
        md.AppendLine("|---|---|---:|---:|");
        foreach (var e in report.Environments)
        {
            var byType = e.Stacks
                .SelectMany(stack => stack.Lines.Select(line => (Grafana: stack.Component == "Grafana", Line: line)))
                .GroupBy(l => (l.Grafana, l.Line.Type))
                .OrderBy(g => g.Key.Grafana)
                .ThenByDescending(g => g.Sum(l => l.Line.MonthlyUsd ?? 0));
            foreach (var group in byType)
            {
                var unpriced = group.Any(l => l.Line.MissingPrice is not null) ? " or more" : "";
                md.AppendLine(Invariant($"| {e.Environment}{(group.Key.Grafana ? " (Grafana)" : "")} | {group.Key.Type} | {group.Count()} | {Money(group.Sum(l => l.Line.MonthlyUsd ?? 0))}{unpriced} |"));
            }
        }

        foreach (var stack in report.Environments.SelectMany(e => e.Stacks).Concat(report.Shared))
        {
            md.AppendLine();
            md.AppendLine(Invariant($"{StackHeading}{stack.Stack}: {Money(stack.IdleMonthly)} a month idle"));
            if (stack.Lines.Count > 0)
            {
                md.AppendLine();
                md.AppendLine("| resource | type | how | / month |");
                md.AppendLine("|---|---|---|---:|");
                foreach (var line in stack.Lines.OrderByDescending(l => l.MonthlyUsd))
                {
                    var how = line switch
                    {
                        { MissingPrice: { } key, MonthlyUsd: null } => $"no price {key}",
                        { MissingPrice: { } key } => $"{line.Formula}; no price {key}",
                        _ => line.Formula,
                    };
                    md.AppendLine(Invariant($"| {line.LogicalId} | {line.Type} | {how} | {Money(line.MonthlyUsd)}{(line is { MissingPrice: not null, MonthlyUsd: not null } ? " or more" : "")} |"));
                }
            }
        }

        foreach (var (region, prices) in report.Prices)
        {
            md.AppendLine();
            md.AppendLine(Invariant($"### Prices of {region}"));
            md.AppendLine();
            md.AppendLine(Invariant($"{prices.Count(p => p.Value.AwsOwn)} of {prices.Count} are AWS's own figures (a Price List record, the Fargate Spot feed or AWS documentation); the rest quote AWS through a third party."));
            md.AppendLine();
            md.AppendLine("| price | value | unit | AWS's own | read or stated | source |");
            md.AppendLine("|---|---:|---|---|---|---|");
            foreach (var (key, entry) in prices)
            {
                var source = entry.Via is { } via ? $"{entry.Source}; read from {via}" : entry.Source;
                md.AppendLine(Invariant($"| {key} | {(entry.Price is { } price ? price.ToString("G", CultureInfo.InvariantCulture) : "none")} | {entry.Unit} | {(entry.AwsOwn ? "yes" : "no")} | {entry.Date:yyyy-MM-dd} | {source.Replace("|", "\\|", StringComparison.Ordinal)} |"));
            }
        }

        return md.ToString();
    }

    public static string Html(CostReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var body = new StringBuilder();
        body.Append("<h1>What each environment costs</h1>");
        body.Append(Invariant($"<p>Price table of {report.PricesReadOn:yyyy-MM-dd}, each price with its source and date below ({report.Currency}, a month of {IdleCosts.HoursPerMonth} hours); usage profile <code>{Encode(report.Profile.Name)}</code>: {Encode(report.Profile.Description)}</p>"));
        if (report.Environments.Any(e => !e.Complete))
        {
            body.Append("<p><strong>Lower bounds</strong>: the price table lacks prices for some resources (\"or more\"); a crossover that depends on one is a bound. See cost.md.</p>");
        }

        body.Append(Chart(report));
        body.Append("<table><tr><th>environment</th><th>idle / month</th><th>idle without Grafana</th><th>per simulation</th></tr>");
        foreach (var e in report.Environments)
        {
            body.Append(Invariant($"<tr><td>{Encode(e.Environment)} ({e.Architecture}, {Encode(e.Region)})</td><td>{Idle(e.Curve(withGrafana: true))}</td><td>{Idle(e.Curve(withGrafana: false))}</td><td>{Money(e.PerSimulation, 5)}</td></tr>"));
        }

        body.Append("</table><table><tr><th>crossover</th><th>simulations a day</th></tr>");
        foreach (var c in report.Crossovers)
        {
            body.Append(Invariant($"<tr><td>{Encode(c.Between)} = {Encode(c.And)}</td><td>{Load(c)}</td></tr>"));
        }

        body.Append("</table>");
        foreach (var (region, prices) in report.Prices)
        {
            body.Append(Invariant($"<h2>Prices of {Encode(region)}</h2><table class=\"prices\"><tr><th>price</th><th>value</th><th>AWS's own</th><th>read or stated</th><th>source</th></tr>"));
            foreach (var (key, entry) in prices)
            {
                body.Append(Invariant($"<tr><td>{Encode(key)}</td><td>{(entry.Price is { } price ? price.ToString("G", CultureInfo.InvariantCulture) : "none")}</td><td>{(entry.AwsOwn ? "yes" : "no")}</td><td>{entry.Date:yyyy-MM-dd}</td><td>{Encode(entry.Source)}</td></tr>"));
            }

            body.Append("</table>");
        }

        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>IoT Playground: cost</title>"
            + "<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse;margin:1rem 0}"
            + "td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}td:first-child,th:first-child{text-align:left}"
            + ".prices{font-size:.8rem}.prices td:last-child,.prices th:last-child{text-align:left;overflow-wrap:anywhere}</style></head><body>"
            + body + "</body></html>";
    }

    /// <summary>
    /// Cost against load, one line per environment with Grafana and a dashed one without, from no load to at least twice
    /// the highest crossover, each crossover marked.
    /// </summary>
    private static string Chart(CostReport report)
    {
        var crossing = report.Crossovers.Select(c => c.SimulationsPerDay ?? 0).DefaultIfEmpty(0).Max();
        var maxLoad = SvgChart.NiceCeiling(crossing > 0 ? crossing * 2 : 1000);
        var series = report.Environments
            .SelectMany(e => new[] { (Curve: e.Curve(withGrafana: true), Style: SeriesStyle.Line), (Curve: e.Curve(withGrafana: false), Style: SeriesStyle.DashedLine) })
            .Select((line, i) => new ChartSeries(
                line.Curve.Name,
                LineColours[i % LineColours.Length],
                [(0, line.Curve.MonthlyAt(0)), (maxLoad, line.Curve.MonthlyAt(maxLoad))],
                line.Style))
            .ToList();
        var markers = report.Crossovers
            .Where(c => c.SimulationsPerDay is not null)
            .Select(c => new ChartMarker(c.SimulationsPerDay!.Value, Load(c)))
            .ToList();
        return SvgChart.Lines(
            "Monthly cost against simulations a day",
            $"simulations a day ({report.Profile.Name})",
            "$ / month",
            series,
            markers);
    }

    private static string Money(double? usd, int decimals = 2) => usd is { } value
        ? "$" + value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
        : "unpriced";

    private static string Idle(CostCurve curve) => Money(curve.IdleMonthly) + (curve.IdleIsLowerBound ? " or more" : "");

    private static string Load(CrossoverResult crossover) => crossover switch
    {
        { Computed: false } => "not computed (prices missing)",
        { SimulationsPerDay: { } load, Bound: CrossoverBound.AtLeast } => "at least " + load.ToString("N0", CultureInfo.InvariantCulture),
        { SimulationsPerDay: { } load, Bound: CrossoverBound.AtMost } => "at most " + load.ToString("N0", CultureInfo.InvariantCulture),
        { SimulationsPerDay: { } load } => load.ToString("N0", CultureInfo.InvariantCulture),
        _ => "never",
    };

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
