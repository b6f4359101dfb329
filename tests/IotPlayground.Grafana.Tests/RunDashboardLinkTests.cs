using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IotPlayground.Domain;
using Microsoft.AspNetCore.WebUtilities;

namespace IotPlayground.Grafana.Tests;

/// <summary>
/// Every run's grafanaUrl is built from the constants of <see cref="RunDashboard"/>; these tests hold them to the
/// dashboard files, so that renaming the dashboard's uid or its run variable breaks the build, not the links.
/// </summary>
public sealed partial class RunDashboardLinkTests
{
    private static readonly Run SomeRun = new(
        Guid.Parse("0b7e9f7e-8d5c-4c1e-9a53-3f0c2a1d4e6b"), "alice", RunStatus.Running,
        DateTimeOffset.FromUnixTimeMilliseconds(1_767_225_600_000), null, 120, 4, RunParams.Default, null);

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public void TheRunDashboardCarriesTheUidTheLinksUse(string architecture) =>
        Assert.Equal(RunDashboard.Uid, Dashboard.Load(architecture, "run.json").Uid);

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public void TheRunDashboardTitleGivesTheSlugTheLinksUse(string architecture) =>
        Assert.Equal(RunDashboard.Slug, Slug(Dashboard.Load(architecture, "run.json").Title));

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public void TheRunDashboardTakesTheRunIdFromTheVariableTheLinksSet(string architecture)
    {
        var run = Dashboard.Load(architecture, "run.json");
        var variable = run.Variable(RunDashboard.RunIdVariable);

        // A textbox takes any id from the URL; a query variable would drop ids missing from its list.
        Assert.Equal("textbox", (string?)variable["type"]);
        Assert.Contains(run.Queries, q => QueryText(q).Contains("$" + RunDashboard.RunIdVariable, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public void ARunsGrafanaUrlOpensTheRunDashboardOnThatRunAndItsWindow(string architecture)
    {
        var url = new Uri(new GrafanaLinks(new Uri("https://grafana.example.com")).ForRun(SomeRun));

        var path = DashboardPath().Match(url.AbsolutePath);
        Assert.True(path.Success, $"{url} is not a /d/<uid>/<slug> dashboard URL.");
        var dashboard = Assert.Single(Dashboard.Of(architecture), d => d.Uid == path.Groups["uid"].Value);
        Assert.Equal(Slug(dashboard.Title), path.Groups["slug"].Value);

        var query = QueryHelpers.ParseQuery(url.Query);
        var variables = query.Keys.Where(k => k.StartsWith("var-", StringComparison.Ordinal)).Select(k => k[4..]);
        Assert.All(variables, name => dashboard.Variable(name));
        Assert.Equal(SomeRun.Id.ToString("D"), query["var-" + RunDashboard.RunIdVariable].ToString());
        Assert.Equal(SomeRun.StartedAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), query["from"].ToString());

        // The planned end of a running run: its start plus its 120 s duration.
        Assert.Equal("1767225720000", query["to"].ToString());
    }

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public void LinksBetweenDashboardsReachTheirTargetAndItsVariables(string architecture)
    {
        var dashboards = Dashboard.Of(architecture);
        var links = dashboards.SelectMany(d => LinkUrls(d.Json).Select(url => (Dashboard: d, Url: url))).ToList();

        Assert.NotEmpty(links);
        Assert.All(links, link =>
        {
            var path = DashboardPath().Match(link.Url);
            Assert.True(path.Success, $"{link.Dashboard}: '{link.Url}' is not a /d/<uid>/<slug> link.");
            var target = dashboards.SingleOrDefault(d => d.Uid == path.Groups["uid"].Value);
            Assert.True(target is not null, $"{link.Dashboard}: '{link.Url}' links to a dashboard uid that no file has.");
            Assert.Equal(Slug(target.Title), path.Groups["slug"].Value);
            foreach (Match variable in LinkVariable().Matches(link.Url))
            {
                target.Variable(variable.Groups["name"].Value);
            }
        });
    }

    [Fact]
    public void BothArchitecturesProvisionTheSameDashboards() =>
        Assert.Equal(
            Dashboard.Of(Architecture.Ecs).Select(d => (d.FileName, d.Uid, d.Title)),
            Dashboard.Of(Architecture.Serverless).Select(d => (d.FileName, d.Uid, d.Title)));

    /// <summary>Grafana's slug of a dashboard title: lower case, runs of other characters turned into one dash.</summary>
    private static string Slug(string title) => NotSlug().Replace(title.ToLowerInvariant(), "-").Trim('-');

    private static string QueryText(Query query) =>
        (string?)query.Target["rawSql"] ?? (string?)query.Target["expr"] ?? (string?)query.Target["expression"] ?? "";

    /// <summary>Data links of every field, in defaults and overrides alike, that point at a dashboard.</summary>
    private static IEnumerable<string> LinkUrls(JsonNode node) => node switch
    {
        JsonObject o when o["url"] is JsonValue url && ((string?)url ?? "").Contains("/d/", StringComparison.Ordinal) =>
            [(string)url!, .. o.Where(p => p.Key != "url" && p.Value is not null).SelectMany(p => LinkUrls(p.Value!))],
        JsonObject o => o.Where(p => p.Value is not null).SelectMany(p => LinkUrls(p.Value!)),
        JsonArray a => a.Where(n => n is not null).SelectMany(n => LinkUrls(n!)),
        _ => [],
    };

    [GeneratedRegex(@"/d/(?<uid>[^/?]+)/(?<slug>[^/?]+)")]
    private static partial Regex DashboardPath();

    [GeneratedRegex(@"[?&]var-(?<name>\w+)=")]
    private static partial Regex LinkVariable();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
