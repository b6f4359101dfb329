using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IotPlayground.Postgres;
using IotPlayground.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;

namespace IotPlayground.Api.Tests.Roles;

/// <summary>A database migrated with an application role of its own; what is refused leaves it as it was.</summary>
public sealed class ApplicationRoleDatabase : IAsyncLifetime
{
    private readonly ApplicationRoleOptions _role = new() { Username = TestPostgres.UniqueRoleName("app"), Password = TestPostgres.NewPassword() };

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var owner = await TestPostgres.CreateOwnedDatabaseAsync("approle");
        await Migrations.RunAsync(owner, application: _role);
        ConnectionString = TestPostgres.As(owner, _role.Username, _role.Password!);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// The API as ECS runs it: the migrate command first, as the owner; then the API connected as the application role,
/// which may use the tables but not change the schema, with its own migrations off.
/// </summary>
public sealed class ApplicationRoleRights(ApplicationRoleDatabase database) : IClassFixture<ApplicationRoleDatabase>
{
    private const string User = "app.role";

    [Fact]
    public async Task TheApiServesARunsJourneyAsTheApplicationRole()
    {
        var owner = await TestPostgres.CreateOwnedDatabaseAsync("approle");
        var role = new ApplicationRoleOptions { Username = TestPostgres.UniqueRoleName("app"), Password = TestPostgres.NewPassword() };
        var migrate = await Migrations.RunCommandAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = owner,
            ["Postgres__ApplicationRole__Username"] = role.Username,
            ["Postgres__ApplicationRole__Password"] = role.Password!,
        });
        Assert.True(migrate.ExitCode == 0, migrate.Output);

        await using var api = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting("ConnectionStrings:Postgres", owner)
            .UseSetting("Postgres:Username", role.Username)
            .UseSetting("Postgres:Password", role.Password)
            .UseSetting("Postgres:MigrateAtStartup", "false")
            .UseSetting("Grafana:BaseUrl", "https://grafana.test")
            .UseSetting("Logging:LogLevel:Default", "Warning"));
        using var client = api.CreateClient();

        var run = await client.SendExpectingAsync(User, HttpMethod.Post, "/api/runs/start", HttpStatusCode.Created, """{"duration":60,"interval":5}""");
        var id = (string)run["id"]!;
        await client.SendExpectingAsync(User, HttpMethod.Post, "/api/sensors/data", HttpStatusCode.Created, $$"""{"runId":"{{id}}","sensorId":"s1","temperature":21.5}""");
        await client.SendExpectingAsync(User, HttpMethod.Post, "/api/sensors/data", HttpStatusCode.Created, $$"""{"runId":"{{id}}","sensorId":"s1","temperature":21.5,"timestamp":"{{DateTimeOffset.UtcNow.AddSeconds(-1):O}}"}""");
        var finished = await client.SendExpectingAsync(User, HttpMethod.Post, $"/api/runs/{id}/finish", HttpStatusCode.OK);
        var page = await client.SendExpectingAsync(User, HttpMethod.Get, "/api/runs", HttpStatusCode.OK);
        var readings = await client.SendExpectingAsync(User, HttpMethod.Get, $"/api/sensors/data?runId={id}", HttpStatusCode.OK);

        Assert.Equal("COMPLETED", (string?)finished["status"]);
        Assert.Equal(id, (string?)Assert.Single((JsonArray)page["items"]!)!["id"]);
        Assert.Equal(2, ((JsonArray)readings["items"]!).Count);
        Assert.Equal(role.Username, await CurrentUserOfAsync(TestPostgres.As(owner, role.Username, role.Password!)));
    }

    public static TheoryData<string> SchemaChanges() => new()
    {
        "CREATE TABLE stolen (data text)",
        "DROP TABLE sensor_data",
        "ALTER TABLE runs DROP COLUMN username",
        "TRUNCATE runs",
        "DELETE FROM runs",
        "CREATE TEMP TABLE scratch (data text)",
        "SELECT * FROM schema_migrations",
    };

    [Theory]
    [MemberData(nameof(SchemaChanges))]
    public async Task TheApplicationRoleMayNotChangeTheSchemaNorDelete(string sql)
    {
        var state = await GrafanaRoleRights.SqlStateOfAsync(database.ConnectionString, sql);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, state);
    }

    private static async Task<string> CurrentUserOfAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_user", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
