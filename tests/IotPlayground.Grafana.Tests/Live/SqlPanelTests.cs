using Npgsql;

namespace IotPlayground.Grafana.Tests.Live;

/// <summary>
/// Every SQL query of the ECS dashboards (panels and variables), expanded as Grafana expands it, runs against the
/// schema the container API creates, as the Grafana role its migrations create (the columns the panels read, nothing
/// else), and finds the run the fixture made. A panel that read another column or tried to write fails here.
/// </summary>
[Collection(LiveEcsTests.Name)]
public sealed class SqlPanelTests(LiveEcsEnvironment stack)
{
    public static TheoryData<string> SqlQueries() => new(
        Dashboard.Of(Architecture.Ecs).SelectMany(SqlOf).Select(q => q.Id));

    [Theory]
    [MemberData(nameof(SqlQueries))]
    public async Task TheQueryRunsOnTheRealSchemaAndFindsTheRun(string id)
    {
        var query = Dashboard.Of(Architecture.Ecs).SelectMany(SqlOf).Single(q => q.Id == id);

        var rows = await RunAsync(query.Sql);

        Assert.True(rows.Count > 0, $"{id} found nothing for run {stack.RunId}:\n{Expand(query.Sql)}");
    }

    [Fact]
    public async Task TheRunsTimeSeriesHoldEveryReadingOfTheRunPerSensor()
    {
        var series = Dashboard.Load(Architecture.Ecs, "run.json").Queries
            .Where(q => q.Datasource.Type == "grafana-postgresql-datasource" && (string?)q.Target["format"] == "time_series")
            .ToList();
        Assert.Equal(3, series.Count);

        foreach (var query in series)
        {
            var rows = await RunAsync(query.Text("rawSql"));
            Assert.Equal(LiveEcsEnvironment.ReadingsSent, rows.Count);
            Assert.Equal(LiveEcsEnvironment.Sensors, rows.Select(r => (string)r["metric"]!).Distinct().Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task TheRunShowsReadingsReceivedAgainstThoseItsParametersCallFor()
    {
        var panel = Assert.Single(Dashboard.Load(Architecture.Ecs, "run.json").Queries, q => q.PanelTitle == "Readings received / expected");

        var row = Assert.Single(await RunAsync(panel.Text("rawSql")));

        Assert.Equal((long)LiveEcsEnvironment.ReadingsSent, Convert.ToInt64(row["Received"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((long)stack.ExpectedReadings, Convert.ToInt64(row["Expected"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task TheRunsStatusIsTheOneTheApiGaveIt()
    {
        var panel = Assert.Single(Dashboard.Load(Architecture.Ecs, "run.json").Queries, q => q.PanelTitle == "Status");

        var row = Assert.Single(await RunAsync(panel.Text("rawSql")));

        Assert.Equal("COMPLETED", row["Status"]);
    }

    [Theory]
    [InlineData("sensor.json", "sensorId", "greenhouse-1")]
    [InlineData("sensor.json", "sensorId", "greenhouse-2")]
    [InlineData("user.json", "user", LiveEcsEnvironment.User)]
    public async Task AVariableOffersWhatTheRunWroteUnderIt(string file, string variable, string expected)
    {
        var query = (string?)Dashboard.Load(Architecture.Ecs, file).Variable(variable)["query"];

        var rows = await RunAsync(query!);

        Assert.Contains(expected, rows.Select(r => r.Values.First() as string));
    }

    [Fact]
    public async Task AnUnknownRunIdShowsNothingRatherThanAnError()
    {
        var status = Assert.Single(Dashboard.Load(Architecture.Ecs, "run.json").Queries, q => q.PanelTitle == "Status");

        Assert.Empty(await RunAsync(status.Text("rawSql"), runId: "not-a-run-id"));
    }

    private sealed record SqlQuery(string Id, string Sql);

    private static IEnumerable<SqlQuery> SqlOf(Dashboard dashboard) =>
        dashboard.Queries
            .Where(q => q.Datasource.Type == "grafana-postgresql-datasource")
            .Select(q => new SqlQuery(q.ToString(), q.Text("rawSql")))
            .Concat(dashboard.Variables
                .Where(v => (string?)v["datasource"]?["type"] == "grafana-postgresql-datasource")
                .Select(v => new SqlQuery($"{dashboard} › variable {(string?)v["name"]}", (string)v["query"]!)));

    private string Expand(string sql, string? runId = null) =>
        GrafanaTemplate.ExpandSql(sql, stack.Window, new Dictionary<string, string>
        {
            [IotPlayground.Domain.RunDashboard.RunIdVariable] = runId ?? stack.RunId.ToString(),
            ["sensorId"] = LiveEcsEnvironment.Sensors[0],
            ["user"] = LiveEcsEnvironment.User,
        });

    private async Task<List<Dictionary<string, object?>>> RunAsync(string sql, string? runId = null)
    {
        await using var connection = new NpgsqlConnection(stack.GrafanaConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Expand(sql, runId), connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount)
                .ToDictionary(reader.GetName, i => reader.IsDBNull(i) ? null : reader.GetValue(i)));
        }

        return rows;
    }
}
