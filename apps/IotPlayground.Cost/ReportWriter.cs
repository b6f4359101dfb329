using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

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

    /// <summary>Cost against load, one line per environment with and without Grafana, up to twice the highest crossover.</summary>
    private static string Chart(CostReport report)
    {
        const double width = 800, height = 380, left = 70, bottom = 40, top = 36, right = 240;
        var curves = report.Environments.SelectMany(e => new[] { e.Curve(true), e.Curve(false) }).ToList();
        var crossing = report.Crossovers.Select(c => c.SimulationsPerDay ?? 0).DefaultIfEmpty(0).Max();
        var maxLoad = crossing > 0 ? Math.Ceiling(crossing * 2 / 100) * 100 : 1000;
        var maxCost = Math.Max(1, curves.Max(c => c.MonthlyAt(maxLoad)));
        double X(double load) => left + load / maxLoad * (width - left - right);
        double Y(double cost) => height - bottom - cost / maxCost * (height - bottom - top);

        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Monthly cost against simulations a day\">"));
        svg.Append(Invariant($"<line x1=\"{left}\" y1=\"{Y(0)}\" x2=\"{X(maxLoad)}\" y2=\"{Y(0)}\" stroke=\"#333\"/><line x1=\"{left}\" y1=\"{Y(0)}\" x2=\"{left}\" y2=\"{top}\" stroke=\"#333\"/>"));
        for (var i = 0; i <= 4; i++)
        {
            var load = maxLoad * i / 4;
            var cost = maxCost * i / 4;
            svg.Append(Invariant($"<text x=\"{X(load)}\" y=\"{height - bottom + 16}\" font-size=\"11\" text-anchor=\"middle\">{load:N0}</text>"));
            svg.Append(Invariant($"<text x=\"{left - 6}\" y=\"{Y(cost) + 4}\" font-size=\"11\" text-anchor=\"end\">${cost:N0}</text>"));
        }

        svg.Append(Invariant($"<text x=\"{(left + X(maxLoad)) / 2}\" y=\"{height - 6}\" font-size=\"12\" text-anchor=\"middle\">simulations a day ({Encode(report.Profile.Name)})</text>"));
        svg.Append(Invariant($"<text x=\"14\" y=\"{top - 16}\" font-size=\"12\">$ / month</text>"));
        foreach (var crossover in report.Crossovers.Where(c => c.SimulationsPerDay is not null))
        {
            var at = X(crossover.SimulationsPerDay!.Value);
            svg.Append(Invariant($"<line x1=\"{at}\" y1=\"{Y(0)}\" x2=\"{at}\" y2=\"{top}\" stroke=\"#888\" stroke-dasharray=\"2 3\"/>"));
            svg.Append(Invariant($"<text x=\"{at + 4}\" y=\"{Y(0) - 8 - (crossover.Between.Contains("without", StringComparison.Ordinal) ? 14 : 0)}\" font-size=\"11\" fill=\"#555\">{Encode(Load(crossover))}</text>"));
        }

        for (var i = 0; i < curves.Count; i++)
        {
            var curve = curves[i];
            var colour = LineColours[i % LineColours.Length];
            svg.Append(Invariant($"<line x1=\"{X(0)}\" y1=\"{Y(curve.MonthlyAt(0))}\" x2=\"{X(maxLoad)}\" y2=\"{Y(curve.MonthlyAt(maxLoad))}\" stroke=\"{colour}\" stroke-width=\"2\"{(curve.Name.Contains("without", StringComparison.Ordinal) ? " stroke-dasharray=\"6 4\"" : "")}/>"));
            svg.Append(Invariant($"<text x=\"{X(maxLoad) + 8}\" y=\"{top + 16 + i * 18}\" font-size=\"12\" fill=\"{colour}\">{Encode(curve.Name)}</text>"));
        }

        return svg.Append("</svg>").ToString();
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
