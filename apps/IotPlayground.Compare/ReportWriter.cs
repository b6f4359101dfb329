using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using IotPlayground.Charts;

namespace IotPlayground.Compare;

/// <summary>The comparison as compare.md (a table per profile), compare.html (the same with charts) and compare.json (every measurement).</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];

    public static void WriteAll(ComparisonReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "compare.md"), Markdown(report));
        File.WriteAllText(Path.Combine(directory, "compare.html"), Html(report));
        File.WriteAllText(Path.Combine(directory, "compare.json"), JsonDocument(report));
    }

    /// <summary>Every measurement and the tables, for the cost report and the web page to read.</summary>
    public static string JsonDocument(ComparisonReport report) => JsonSerializer.Serialize(report, Json);

    public static string Markdown(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.AppendLine("# Comparison of the two backends").AppendLine();
        md.AppendLine(Provenance(report)).AppendLine();
        foreach (var profile in report.Profiles)
        {
            md.Append(ProfileTable(profile));
        }

        return md.ToString();
    }

    /// <summary>One profile's tables in Markdown, the two backends side by side: the figures, then the usage that drives cost.</summary>
    public static string ProfileTable(ProfileFigures profile)
    {
        var md = new StringBuilder();
        md.AppendLine(Invariant($"## Profile `{profile.Profile.Name}`")).AppendLine();
        md.AppendLine(Invariant($"{profile.Profile.Description} Medians over {profile.Backends.Min(b => b.Repetitions)} repetition(s).")).AppendLine();
        foreach (var (_, header, rows) in new[] { TableOf(profile), UsageTableOf(profile) })
        {
            md.AppendLine("| " + string.Join(" | ", header) + " |");
            md.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
            foreach (var row in rows)
            {
                md.AppendLine("| " + string.Join(" | ", row) + " |");
            }

            md.AppendLine();
        }

        foreach (var note in NotMeasured(profile))
        {
            md.AppendLine(Invariant($"- {note}"));
        }

        return md.AppendLine().ToString();
    }

    /// <summary>
    /// The usage that drives cost: each counter a backend measured, as its total in one repetition (the median over
    /// the repetitions) and per simulated minute of the profile; "–" where the backend has no such counter.
    /// </summary>
    public static ReportTable UsageTableOf(ProfileFigures profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var backends = profile.Backends;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var (name, label) in UsageCounters.All.Where(c => backends.Any(b => b.Usage.Counters.ContainsKey(c.Name))))
        {
            rows.Add([label, .. backends.Select(b => b.Usage.Counters.TryGetValue(name, out var counter)
                ? Invariant($"{Number(counter.Total)} · {Number(counter.PerMinute)}")
                : "–")]);
            if (name == UsageCounters.LambdaBilledMs)
            {
                rows.Add(["Lambda billed ms per invocation", .. backends.Select(b => b.Usage.LambdaBilledMsPerInvocation is { } ms ? Invariant($"{ms:0.0}") : "–")]);
            }
        }

        return new ReportTable(profile.Profile.Name, ["usage: total · per simulated minute", .. backends.Select(b => b.Backend)], rows);
    }

    /// <summary>What each backend's usage leaves out, and why.</summary>
    public static IEnumerable<string> NotMeasured(ProfileFigures profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return profile.Backends.SelectMany(b => b.Usage.NotMeasured.Select(reason => $"{b.Backend}: {reason}"));
    }

    /// <summary>
    /// The rows both renderings show: latency per endpoint (each figure the median over repetitions), then throughput,
    /// errors, cold starts and the usage per simulated minute.
    /// </summary>
    public static ReportTable TableOf(ProfileFigures profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var backends = profile.Backends;
        var rows = new List<IReadOnlyList<string>>();
        foreach (var endpoint in backends.SelectMany(b => b.Endpoints).Select(e => e.Endpoint).Distinct().Order(StringComparer.Ordinal))
        {
            Row(endpoint, b => b.Endpoints.FirstOrDefault(e => e.Endpoint == endpoint) is { } figures
                ? Invariant($"{figures.Latency.P50:0.0} · {figures.Latency.P95:0.0} · {figures.Latency.P99:0.0} · {figures.Latency.Max:0.0} ({figures.Latency.Count})")
                : "–");
        }

        Row("throughput, requests/s", b => Invariant($"{b.RequestsPerSecond:0.0}"));
        Row("readings stored/s", b => Invariant($"{b.ReadingsPerSecond:0.0}"));
        Row("errors (status code ×count)", b => b.Errors.Count == 0 ? "none" : string.Join(", ", b.Errors.Select(e => Invariant($"{e.Status} {e.Code} ×{e.Count}"))));
        Row("cold starts (their latency, ms)", b => b.ColdStarts == 0 ? "0" : Invariant($"{b.ColdStarts} ({string.Join(", ", b.Endpoints.SelectMany(e => e.ColdStartLatenciesMs).Select(l => l.ToString("0", CultureInfo.InvariantCulture)))})"));
        Row("requests per simulated minute", b => Invariant($"{b.Usage.Counters[UsageCounters.Requests].PerMinute:0}"));
        Row("readings per simulated minute", b => Invariant($"{b.Usage.Counters[UsageCounters.ReadingsAcknowledged].PerMinute:0}"));
        return new ReportTable(profile.Profile.Name, ["latency, ms: p50 · p95 · p99 · max (requests)", .. backends.Select(b => b.Backend)], rows);

        void Row(string name, Func<BackendFigures, string> cell) => rows.Add([name, .. backends.Select(cell)]);
    }

    public static string Html(ComparisonReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new StringBuilder();
        html.AppendLine("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.AppendLine("<title>Comparison of the two backends</title><style>");
        html.AppendLine("body{font-family:system-ui,sans-serif;margin:1.5rem;max-width:1100px}table{border-collapse:collapse;margin:.5rem 0 1rem}");
        html.AppendLine("td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}svg{width:100%;max-width:540px;height:auto}.charts{display:flex;flex-wrap:wrap;gap:1rem}");
        html.AppendLine("</style></head><body><h1>Comparison of the two backends</h1>");
        html.AppendLine(Invariant($"<p>{Encode(Provenance(report))}</p>"));
        foreach (var profile in report.Profiles)
        {
            html.AppendLine(Invariant($"<section class=\"profile\" data-profile=\"{Encode(profile.Profile.Name)}\"><h2>Profile <code>{Encode(profile.Profile.Name)}</code></h2>"));
            html.AppendLine(Invariant($"<p>{Encode(profile.Profile.Description)}</p>"));
            html.AppendLine(Table(TableOf(profile)));
            html.AppendLine(Table(UsageTableOf(profile)));
            foreach (var note in NotMeasured(profile))
            {
                html.AppendLine(Invariant($"<p class=\"not-measured\">{Encode(note)}</p>"));
            }

            html.AppendLine("<div class=\"charts\">");
            foreach (var endpoint in profile.Backends.SelectMany(b => b.LatenciesMs.Keys).Distinct().Order(StringComparer.Ordinal))
            {
                html.AppendLine(SvgChart.Lines(
                    $"Latency distribution of {endpoint}",
                    $"{endpoint}: latency, ms",
                    "requests at or below, %",
                    [.. profile.Backends.Select((b, i) => new ChartSeries(b.Backend, Colours[i % Colours.Length], Distribution(b.LatenciesMs.GetValueOrDefault(endpoint) ?? [])))]));
            }

            html.AppendLine(SvgChart.Lines(
                "Throughput over time",
                "time since the start of the first repetition, s",
                "requests/s",
                [.. profile.Backends.Select((b, i) => new ChartSeries(b.Backend, Colours[i % Colours.Length], [.. b.RequestsEachSecond.Select((count, second) => ((double)second, (double)count))]))]));
            html.AppendLine(SvgChart.Lines(
                "Cold-start latencies",
                "cold start, in order",
                "latency, ms",
                [.. profile.Backends.Select((b, i) => new ChartSeries(
                    $"{b.Backend} ({b.ColdStarts})",
                    Colours[i % Colours.Length],
                    [.. b.Endpoints.SelectMany(e => e.ColdStartLatenciesMs).Select((latency, n) => ((double)n + 1, latency))],
                    SeriesStyle.Dots))]));
            html.AppendLine("</div></section>");
        }

        return html.AppendLine("</body></html>").ToString();
    }

    /// <summary>
    /// The share of requests answered within each latency: the empirical distribution as a step curve from 0 to 100 %,
    /// thinned to about 200 steps so that a long profile's page stays light.
    /// </summary>
    public static IReadOnlyList<(double X, double Y)> Distribution(IReadOnlyList<double> latencies)
    {
        ArgumentNullException.ThrowIfNull(latencies);
        var sorted = latencies.Order().ToArray();
        var step = Math.Max(1, sorted.Length / 200);
        var points = new List<(double, double)>();
        for (var i = 0; i < sorted.Length; i += step)
        {
            points.Add((sorted[i], 100.0 * i / sorted.Length));
            points.Add((sorted[i], 100.0 * Math.Min(i + step, sorted.Length) / sorted.Length));
        }

        return points;
    }

    private static string Table(ReportTable table)
    {
        var (_, header, rows) = table;
        var html = new StringBuilder("<table><tr>");
        html.AppendJoin("", header.Select(h => $"<th>{Encode(h)}</th>")).Append("</tr>");
        foreach (var row in rows)
        {
            html.Append("<tr>").AppendJoin("", row.Select(cell => $"<td>{Encode(cell)}</td>")).Append("</tr>");
        }

        return html.Append("</table>").ToString();
    }

    /// <summary>Whole numbers as such, small ones with the decimals that matter (capacity units come in halves).</summary>
    private static string Number(double value) =>
        Math.Abs(value) >= 100 || value == Math.Floor(value)
            ? value.ToString("#,0", CultureInfo.InvariantCulture)
            : value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Provenance(ComparisonReport report) => Invariant(
        $"Measured {report.Date:yyyy-MM-dd HH:mm} UTC on {report.Machine.Os}, {report.Machine.Processors} processors, {report.Machine.Runtime}, commit {report.Machine.Commit ?? "unknown"}. ")
        + string.Join(" ", report.Profiles.SelectMany(p => p.Backends).DistinctBy(b => b.Backend).Select(b => $"{b.Backend}: {b.Url} ({b.Build})."));

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
