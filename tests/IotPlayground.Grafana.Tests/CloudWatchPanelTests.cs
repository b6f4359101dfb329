using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IotPlayground.Lambda.Functions;

namespace IotPlayground.Grafana.Tests;

/// <summary>
/// No CloudWatch answers here, so the serverless dashboards are held to the lines the Lambdas' own code writes
/// (<see cref="LambdaTelemetry"/>): a metric panel must name a metric with exactly the dimensions it is published
/// with, or CloudWatch finds nothing; a Logs Insights panel must read the log groups of the functions that write
/// the lines it selects, and only fields those lines carry.
/// </summary>
public sealed partial class CloudWatchPanelTests
{
    private static readonly HashSet<string> LogsInsightsWords = new(StringComparer.Ordinal)
    {
        "filter", "stats", "fields", "sort", "limit", "by", "as", "and", "or", "not", "in", "like", "desc", "asc",
        "display", "dedup", "parse", "latest", "earliest", "count", "count_distinct", "avg", "min", "max", "sum", "bin",
        "floor", "ceil", "ispresent", "isempty", "pct", "stddev", "abs",
    };

    private static readonly Dictionary<string, string> Variables = new(StringComparer.Ordinal)
    {
        ["runId"] = "0b7e9f7e-8d5c-4c1e-9a53-3f0c2a1d4e6b",
        ["sensorId"] = "greenhouse-1",
        ["user"] = "alice",
        ["__interval"] = "1m",
    };

    private static List<Query> Queries(string mode) =>
        Dashboard.Of(Architecture.Serverless).SelectMany(d => d.Queries)
            .Where(q => q.Datasource.Type == "cloudwatch" && (string?)q.Target["queryMode"] == mode)
            .ToList();

    [Fact]
    public void EveryEmfPanelNamesAMetricTheLambdasEmitWithItsDimensions()
    {
        var emittedNamespaces = LambdaTelemetry.Metrics.Select(m => m.Namespace).ToHashSet();
        var queries = Queries("Metrics").Where(q => emittedNamespaces.Contains((string?)q.Target["namespace"] ?? "")).ToList();
        Assert.NotEmpty(queries);

        Assert.All(queries, query =>
        {
            var name = (string?)query.Target["metricName"];
            var emitted = LambdaTelemetry.Metrics.Where(m => m.Namespace == (string?)query.Target["namespace"] && m.Name == name).ToList();
            Assert.True(emitted.Count > 0, $"{query}: the Lambdas emit no metric '{name}' in {query.Target["namespace"]}.");

            var dimensions = Dimensions(query);
            var dimensionSet = Assert.Single(emitted.Select(m => m.Dimensions).Distinct());
            Assert.Equal(dimensionSet.Split(',').Order(StringComparer.Ordinal), dimensions.Keys.Order(StringComparer.Ordinal));
            Assert.True((bool?)query.Target["matchExact"] == true, $"{query}: EMF publishes one dimension set; match it exactly.");

            // One function's series of a metric that two publish would hide the other's: take them all with "*".
            var services = emitted.Select(m => m.Service).Order(StringComparer.Ordinal).ToList();
            var service = dimensions[EmfMetrics.ServiceDimension];
            Assert.True(service == "*" || services.SequenceEqual([service]),
                $"{query} selects Service '{service}'; '{name}' comes from {string.Join(" and ", services)}.");
            AssertStatistic(query);
        });
    }

    [Fact]
    public void EveryMetricTheLambdasEmitIsOnADashboard()
    {
        var shown = Queries("Metrics").Select(q => (string?)q.Target["metricName"]).ToHashSet();

        Assert.All(LambdaTelemetry.Metrics, m => Assert.Contains(m.Name, shown));
    }

    [Fact]
    public void EveryAwsMetricPanelSelectsThePlaygroundsResourcesThroughAVariable()
    {
        var queries = Queries("Metrics").Where(q => (string?)q.Target["namespace"] != EmfMetrics.Namespace).ToList();
        Assert.NotEmpty(queries);

        Assert.All(queries, query =>
        {
            var ns = (string?)query.Target["namespace"];
            var name = (string?)query.Target["metricName"];
            var metric = LambdaTelemetry.AwsMetrics.SingleOrDefault(m => m.Namespace == ns && m.Name == name);
            Assert.True(metric is not null, $"{query}: {ns} {name} is not one of the AWS metrics the dashboards are meant to show.");

            var (dimension, value) = Assert.Single(Dimensions(query));
            Assert.Equal(metric.Dimension, dimension);
            var variable = query.Dashboard.Variable(VariableName(value, query));
            var variableQuery = (JsonObject)variable["query"]!;
            Assert.Equal("dimensionValues", (string?)variableQuery["queryType"]);
            Assert.Equal(ns, (string?)variableQuery["namespace"]);
            Assert.Equal(dimension, (string?)variableQuery["dimensionKey"]);
            AssertStatistic(query);
        });
    }

    [Fact]
    public void TheFunctionVariablesFindEveryPlaygroundFunction()
    {
        var variables = Dashboard.Of(Architecture.Serverless).SelectMany(d => d.Variables)
            .Where(v => (v["query"] as JsonObject)?["dimensionKey"]?.GetValue<string>() == "FunctionName")
            .ToList();
        Assert.NotEmpty(variables);

        // CloudFormation names a function <stack>-<construct path>-<suffix>; the construct ids are stable by design.
        Assert.All(variables, v => Assert.All(LambdaTelemetry.Functions, f =>
            Assert.Matches(GrafanaRegex((string)v["regex"]!), $"ServerlessDev-Serverless-{f.ConstructId}Function1A2B3C4D-AbCdEf123456")));
    }

    [Fact]
    public void EveryLogsPanelReadsTheLogGroupsOfTheFunctionsThatWriteItsLines()
    {
        var queries = Queries("Logs");
        Assert.NotEmpty(queries);

        Assert.All(queries, query =>
        {
            var groups = ((JsonArray?)query.Target["logGroups"] ?? []).Cast<JsonObject>().ToList();
            Assert.NotEmpty(groups);
            var regexes = groups.Select(group =>
            {
                Assert.Equal((string?)group["arn"], (string?)group["name"]);
                var variable = query.Dashboard.Variable(VariableName((string)group["arn"]!, query));
                Assert.Equal("logGroups", (string?)variable["query"]?["queryType"]);
                return GrafanaRegex((string)variable["regex"]!);
            }).ToList();

            foreach (var service in LinesOf(query).Select(line => line.Service).Distinct())
            {
                var function = LambdaTelemetry.Functions.Single(f => f.Service == service);
                var logGroup = $"ServerlessDev-Serverless-{function.ConstructId}Logs1A2B3C4D-AbCdEf123456";
                Assert.True(regexes.Any(regex => Regex.IsMatch(logGroup, regex)),
                    $"{query} reads lines that {service} writes, but not its log group (like {logGroup}).");
            }
        });
    }

    [Fact]
    public void EveryLogsPanelUsesOnlyFieldsItsLinesCarry()
    {
        Assert.All(Queries("Logs"), query =>
        {
            var expression = GrafanaTemplate.Expand(query.Text("expression"), Variables);
            var lines = LinesOf(query);
            var aliases = Alias().Matches(expression).Select(m => m.Groups["alias"].Value);
            var known = lines.SelectMany(l => l.Fields).Concat(LambdaTelemetry.SystemFields).Concat(aliases).ToHashSet(StringComparer.Ordinal);

            var unknown = Token().Matches(StringLiteral().Replace(expression, "\"\""))
                .Select(m => m.Groups["id"])
                .Where(g => g.Success && !LogsInsightsWords.Contains(g.Value) && !known.Contains(g.Value))
                .Select(g => g.Value)
                .Distinct()
                .ToList();
            Assert.True(unknown.Count == 0, $"{query} uses {string.Join(", ", unknown)}, which none of the lines it selects carries.");
        });
    }

    [Fact]
    public void EveryCloudWatchQueryUsesTheRegionTheDatasourceIsGiven()
    {
        var regions = Dashboard.Of(Architecture.Serverless)
            .SelectMany(d => d.Queries.Select(q => (Where: q.ToString(), Region: (string?)q.Target["region"]))
                .Concat(d.Variables.Where(v => v["query"] is JsonObject).Select(v => (Where: $"{d} › {(string?)v["name"]}", Region: (string?)v["query"]!["region"]))))
            .ToList();

        Assert.NotEmpty(regions);
        Assert.All(regions, r => Assert.True(r.Region == "default", $"{r.Where} queries region '{r.Region}', not the datasource's (AWS_REGION)."));
    }

    /// <summary>
    /// The lines a Logs Insights query selects: log lines by their "message", EMF lines by ispresent() of a metric
    /// they publish. A query that selects neither would read every line of its log groups.
    /// </summary>
    private static List<EmittedLine> LinesOf(Query query)
    {
        var expression = query.Text("expression");
        var messages = MessageFilter().Matches(expression).SelectMany(f => f.Groups["one"].Success
            ? [f.Groups["one"].Value]
            : StringLiteral().Matches(f.Groups["many"].Value).Select(m => m.Value.Trim('"'))).ToList();
        var metrics = Presence().Matches(expression).Select(m => m.Groups["field"].Value)
            .Where(field => LambdaTelemetry.Metrics.Any(m => m.Name == field)).ToList();
        Assert.True(messages.Count + metrics.Count > 0, $"{query} selects no log line by its \"message\" nor any EMF line by its metric.");

        var unknown = messages.Where(message => !LambdaTelemetry.Lines.Any(line => line.Message == message)).ToList();
        Assert.True(unknown.Count == 0, $"{query}: the Lambdas write no '{string.Join("', '", unknown)}' log line.");
        return LambdaTelemetry.Lines
            .Where(line => messages.Contains(line.Message ?? "") || metrics.Any(metric => line.IsEmf && line.Has(metric)))
            .ToList();
    }

    private static Dictionary<string, string> Dimensions(Query query) =>
        ((JsonObject?)query.Target["dimensions"] ?? []).ToDictionary(d => d.Key, d => (string)d.Value!);

    private static void AssertStatistic(Query query) =>
        Assert.Matches(@"^(Sum|Average|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d+)?)$", (string?)query.Target["statistic"] ?? "");

    private static string VariableName(string reference, Query query)
    {
        var match = Regex.Match(reference, @"^\$\{?(?<name>\w+)\}?$");
        Assert.True(match.Success, $"{query}: '{reference}' is not a variable reference: resource names change with every deployment.");
        return match.Groups["name"].Value;
    }

    /// <summary>Grafana writes a variable's regex as /pattern/.</summary>
    private static string GrafanaRegex(string regex) => regex.Length > 1 && regex[0] == '/' ? regex[1..regex.LastIndexOf('/')] : regex;

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\bas\s+(?<alias>\w+)")]
    private static partial Regex Alias();

    [GeneratedRegex(@"(?<number>\d+(\.\d+)?[A-Za-z]*)|(?<id>@?[A-Za-z_]\w*)")]
    private static partial Regex Token();

    [GeneratedRegex(@"\bispresent\((?<field>\w+)\)")]
    private static partial Regex Presence();

    [GeneratedRegex(@"\bmessage\s*(=\s*""(?<one>[^""]+)""|in\s*\[(?<many>[^\]]*)\])")]
    private static partial Regex MessageFilter();
}
