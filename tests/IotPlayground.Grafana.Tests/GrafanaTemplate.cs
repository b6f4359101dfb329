using System.Globalization;
using System.Text.RegularExpressions;

namespace IotPlayground.Grafana.Tests;

public sealed record TimeRange(DateTimeOffset From, DateTimeOffset To)
{
    public TimeSpan Length => To - From;
}

/// <summary>
/// Does to a query what Grafana does before it sends it: expands the SQL datasource's time macros, then the
/// dashboard's variables. A variable or macro this class does not know fails the test: a query naming a variable
/// that the dashboard no longer defines would reach the database as text, and fail there for every viewer.
/// </summary>
public static partial class GrafanaTemplate
{
    private static readonly string[] ReferenceForms = ["braced", "plain", "bracketed"];

    public static string ExpandSql(string sql, TimeRange range, IReadOnlyDictionary<string, string> variables) =>
        ExpandVariables(ExpandSqlMacros(sql, range), variables, SqlLiteralEscape);

    public static string Expand(string text, IReadOnlyDictionary<string, string> variables) =>
        ExpandVariables(text, variables, value => value);

    /// <summary>Grafana's SQL datasources double the quotes of a single-valued variable; a query wraps it in '...'.</summary>
    private static string SqlLiteralEscape(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    /// <summary>The macros of Grafana's PostgreSQL datasource, as its documentation gives them.</summary>
    private static string ExpandSqlMacros(string sql, TimeRange range) =>
        SqlMacro().Replace(sql, match =>
        {
            var name = match.Groups["name"].Value;
            var args = match.Groups["args"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            string Arg(int i) => i < args.Length ? args[i] : throw new InvalidOperationException($"$__{name} needs {i + 1} argument(s): {match.Value}");
            return name switch
            {
                "time" => $"{Arg(0)} AS \"time\"",
                "timeEpoch" => $"extract(epoch from {Arg(0)}) AS \"time\"",
                "timeFilter" => $"{Arg(0)} BETWEEN {Timestamp(range.From)} AND {Timestamp(range.To)}",
                "timeFrom" => Timestamp(range.From),
                "timeTo" => Timestamp(range.To),
                "timeGroup" => TimeGroup(Arg(0), Arg(1)),
                "timeGroupAlias" => TimeGroup(Arg(0), Arg(1)) + " AS \"time\"",
                "unixEpochFilter" => $"{Arg(0)} >= {range.From.ToUnixTimeSeconds()} AND {Arg(0)} <= {range.To.ToUnixTimeSeconds()}",
                "unixEpochFrom" => range.From.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                "unixEpochTo" => range.To.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                _ => throw new InvalidOperationException($"Unknown SQL macro $__{name}: teach {nameof(GrafanaTemplate)} what Grafana makes of it."),
            };
        });

    private static string ExpandVariables(string text, IReadOnlyDictionary<string, string> variables, Func<string, string> escape) =>
        VariableReference().Replace(text, match =>
        {
            var name = ReferenceForms.Select(g => match.Groups[g]).First(g => g.Success).Value;
            return variables.TryGetValue(name, out var value)
                ? escape(value)
                : throw new InvalidOperationException(
                    $"The query uses ${name}, which the test does not define (it knows {string.Join(", ", variables.Keys.Select(k => "$" + k))}): {text}");
        });

    public static string Timestamp(DateTimeOffset time) =>
        "'" + time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + "'";

    private static string TimeGroup(string column, string interval)
    {
        var seconds = (long)ParseDuration(interval.Trim('\'', '"')).TotalSeconds;
        return $"floor(extract(epoch from {column})/{seconds})*{seconds}";
    }

    /// <summary>Grafana's and Prometheus's duration literals: 30s, 5m, 1h, 1d.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        var match = DurationLiteral().Match(text);
        if (!match.Success)
        {
            throw new InvalidOperationException($"'{text}' is not a duration such as 30s, 5m or 1h.");
        }

        var amount = int.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture);
        return match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromDays(amount),
        };
    }

    public static string FormatDuration(TimeSpan span) => $"{(long)Math.Ceiling(span.TotalSeconds)}s";

    [GeneratedRegex(@"\$__(?<name>\w+)\((?<args>[^()]*)\)")]
    private static partial Regex SqlMacro();

    [GeneratedRegex(@"\$\{(?<braced>\w+)(?::[\w]+)?\}|\$(?<plain>\w+)|\[\[(?<bracketed>\w+)\]\]")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^(?<amount>\d+)(?<unit>ms|s|m|h|d)$")]
    private static partial Regex DurationLiteral();
}
