using System.Diagnostics;
using IotPlayground.Postgres;
using IotPlayground.Testing;
using Npgsql;

namespace IotPlayground.Api.Tests.Roles;

/// <summary>A database migrated with a Grafana role of its own, holding one run and one reading.</summary>
public sealed class GrafanaRoleDatabase : IAsyncLifetime
{
    public string OwnerConnectionString { get; private set; } = "";

    public GrafanaRoleOptions Role { get; } = new() { Username = TestPostgres.UniqueRoleName("grafana"), Password = TestPostgres.NewPassword() };

    public string ConnectionString => TestPostgres.As(OwnerConnectionString, Role.Username, Role.Password!);

    public async Task InitializeAsync()
    {
        OwnerConnectionString = await TestPostgres.CreateOwnedDatabaseAsync("grafanarole");
        await Migrations.RunAsync(OwnerConnectionString, grafana: Role);
        await using var connection = new NpgsqlConnection(OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO runs (id, username, status, started_at, deadline_at, duration_seconds, interval_seconds, sensor_count, measures)
            VALUES ('7d4f5b0e-5a43-4c59-9a53-3b8f0c9b6a11', 'alice', 'RUNNING', now(), now() + interval '1 minute', 60, 5, 1, '{}');
            INSERT INTO sensor_data (run_id, recorded_at, sensor_id, temperature) VALUES ('7d4f5b0e-5a43-4c59-9a53-3b8f0c9b6a11', now(), 's1', 21);
            """,
            connection);
        await command.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// Grafana's datasource role, which anonymous viewers reach through any SQL they send: it reads the columns the
/// dashboards read and nothing else. Its sessions are read-only by default, which refuses writes first; a viewer may
/// turn that off, so every write is also tried in a read-write session, where the missing privilege refuses it.
/// </summary>
public sealed class GrafanaRoleRights(GrafanaRoleDatabase database) : IClassFixture<GrafanaRoleDatabase>
{
    private const string ReadOnlyTransaction = "25006";

    public static TheoryData<string, string, string> Refused() => new()
    {
        { "INSERT INTO runs (id, username, status, started_at, deadline_at, duration_seconds, interval_seconds, sensor_count, measures) VALUES (gen_random_uuid(), 'x', 'RUNNING', now(), now(), 1, 1, 1, '{}')", ReadOnlyTransaction, PostgresErrorCodes.InsufficientPrivilege },
        { "UPDATE runs SET status = 'FAILED'", ReadOnlyTransaction, PostgresErrorCodes.InsufficientPrivilege },
        { "DELETE FROM sensor_data", ReadOnlyTransaction, PostgresErrorCodes.InsufficientPrivilege },
        { "DROP TABLE sensor_data", ReadOnlyTransaction, PostgresErrorCodes.InsufficientPrivilege },
        { "CREATE TABLE stolen (data text)", ReadOnlyTransaction, PostgresErrorCodes.InsufficientPrivilege },
        { "CREATE TEMP TABLE scratch (data text)", ReadOnlyTransaction, PostgresErrorCodes.InsufficientPrivilege },
        { "TRUNCATE runs", ReadOnlyTransaction, PostgresErrorCodes.InsufficientPrivilege },
        { "SELECT * FROM schema_migrations", PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.InsufficientPrivilege },
        { "SELECT deadline_at FROM runs", PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.InsufficientPrivilege },
        { "SELECT * FROM runs", PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.InsufficientPrivilege },
        { "SELECT received_at FROM sensor_data", PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.InsufficientPrivilege },
        { "SELECT rolpassword FROM pg_authid", PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.InsufficientPrivilege },
        { "SELECT pg_read_file('postgresql.conf')", PostgresErrorCodes.InsufficientPrivilege, PostgresErrorCodes.InsufficientPrivilege },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task TheGrafanaRoleIsRefused(string sql, string readOnlyCode, string readWriteCode)
    {
        Assert.Equal(readOnlyCode, await SqlStateOfAsync(database.ConnectionString, sql));
        Assert.Equal(readWriteCode, await SqlStateOfAsync(database.ConnectionString, sql, "SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE"));
    }

    [Fact]
    public async Task TheGrafanaRoleReadsTheColumnsThePanelsRead()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT r.username, count(*) FROM runs r JOIN sensor_data d ON d.run_id = r.id
            WHERE r.status = 'RUNNING' AND d.temperature > 0 GROUP BY r.username
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync());
        Assert.Equal("alice", reader.GetString(0));
        Assert.Equal(1, reader.GetInt64(1));
    }

    [Fact]
    public async Task AQueryLongerThanTheRolesTimeoutIsCancelled()
    {
        var role = new GrafanaRoleOptions { Username = TestPostgres.UniqueRoleName("grafana"), Password = TestPostgres.NewPassword(), StatementTimeoutSeconds = 1 };
        var owner = await TestPostgres.CreateOwnedDatabaseAsync("grafanatimeout");
        await Migrations.RunAsync(owner, grafana: role);
        var watch = Stopwatch.StartNew();

        var state = await SqlStateOfAsync(TestPostgres.As(owner, role.Username, role.Password!), "SELECT pg_sleep(30)");

        Assert.Equal(PostgresErrorCodes.QueryCanceled, state);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"The query ran {watch.Elapsed}.");
    }

    [Fact]
    public async Task MoreConnectionsThanTheRolesLimitAreRefused()
    {
        var role = new GrafanaRoleOptions { Username = TestPostgres.UniqueRoleName("grafana"), Password = TestPostgres.NewPassword(), ConnectionLimit = 2 };
        var owner = await TestPostgres.CreateOwnedDatabaseAsync("grafanalimit");
        await Migrations.RunAsync(owner, grafana: role);
        var unpooled = new NpgsqlConnectionStringBuilder(TestPostgres.As(owner, role.Username, role.Password!)) { Pooling = false }.ConnectionString;
        await using var first = new NpgsqlConnection(unpooled);
        await using var second = new NpgsqlConnection(unpooled);
        await first.OpenAsync();
        await second.OpenAsync();

        await using var third = new NpgsqlConnection(unpooled);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => third.OpenAsync());

        Assert.Equal(PostgresErrorCodes.TooManyConnections, refused.SqlState);
    }

    /// <summary>The SqlState PostgreSQL refuses the statement with, or null when it ran.</summary>
    internal static async Task<string?> SqlStateOfAsync(string connectionString, string sql, string? sessionSetup = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        if (sessionSetup is not null)
        {
            await using var setup = new NpgsqlCommand(sessionSetup, connection);
            await setup.ExecuteNonQueryAsync();
        }

        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            await command.ExecuteNonQueryAsync();
            return null;
        }
        catch (PostgresException ex)
        {
            return ex.SqlState;
        }
    }
}
