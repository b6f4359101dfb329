using IotPlayground.Postgres;
using IotPlayground.Testing;
using Npgsql;

namespace IotPlayground.Api.Tests.Roles;

/// <summary><c>dotnet IotPlayground.Api.dll migrate</c>, what ECS runs as the API task's init container.</summary>
public sealed class TheMigrateCommand
{
    private readonly string _application = TestPostgres.UniqueRoleName("app");
    private readonly string _grafana = TestPostgres.UniqueRoleName("grafana");
    private readonly string _applicationPassword = TestPostgres.NewPassword();
    private readonly string _grafanaPassword = TestPostgres.NewPassword();

    [Fact]
    public async Task MigrateAppliesTheSchemaAndTheRolesThenExits()
    {
        var owner = await TestPostgres.CreateOwnedDatabaseAsync("migrate");

        var result = await Migrations.RunCommandAsync(Settings(owner));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("Migration done", result.Output, StringComparison.Ordinal);
        Assert.Equal(PostgresMigrator.LatestVersion, await ScalarAsync<int>(owner, "SELECT max(version) FROM schema_migrations"));
        Assert.Equal(
            ["default_transaction_read_only=on", "statement_timeout=10s"],
            await ScalarAsync<string[]>(owner, $"SELECT rolconfig FROM pg_roles WHERE rolname = '{_grafana}'"));
        Assert.Equal(5, await ScalarAsync<int>(owner, $"SELECT rolconnlimit FROM pg_roles WHERE rolname = '{_grafana}'"));
        // Each role logs in with the password it was given.
        Assert.Equal(_application, await ScalarAsync<string>(TestPostgres.As(owner, _application, _applicationPassword), "SELECT current_user"));
        Assert.Equal(_grafana, await ScalarAsync<string>(TestPostgres.As(owner, _grafana, _grafanaPassword), "SELECT current_user"));
    }

    [Fact]
    public async Task MigratingTwiceLeavesTheSameSchemaAndRights()
    {
        var owner = await TestPostgres.CreateOwnedDatabaseAsync("migrate");
        var first = await Migrations.RunCommandAsync(Settings(owner));
        Assert.True(first.ExitCode == 0, first.Output);
        var rightsAfterFirst = await RightsAsync(owner);

        var second = await Migrations.RunCommandAsync(Settings(owner));

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.DoesNotContain("Applied schema migration", second.Output, StringComparison.Ordinal);
        Assert.Equal(rightsAfterFirst, await RightsAsync(owner));
        Assert.Contains($"{_grafana}: SELECT runs.status", rightsAfterFirst);
        Assert.DoesNotContain($"{_grafana}: SELECT runs.deadline_at", rightsAfterFirst);
        Assert.Contains($"{_application}: UPDATE runs.status", rightsAfterFirst);
    }

    [Fact]
    public async Task AWrongOwnerPasswordExitsNonZeroAndSaysWhy()
    {
        var owner = await TestPostgres.CreateOwnedDatabaseAsync("migrate");
        var wrong = new NpgsqlConnectionStringBuilder(owner) { Password = "not-the-password" }.ConnectionString;

        var result = await Migrations.RunCommandAsync(Settings(wrong));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Migration failed", result.Output, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidRoleSettingExitsNonZeroBeforeChangingAnything()
    {
        var owner = await TestPostgres.CreateOwnedDatabaseAsync("migrate");
        var settings = new Dictionary<string, string>(Settings(owner)) { ["Postgres__GrafanaRole__ConnectionLimit"] = "0" };

        var result = await Migrations.RunCommandAsync(settings);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("ConnectionLimit", result.Output, StringComparison.Ordinal);
        Assert.False(await ScalarAsync<bool>(owner, "SELECT to_regclass('runs') IS NOT NULL"));
    }

    [Fact]
    public async Task WithoutRolePasswordsOnlyTheSchemaIsMigrated()
    {
        var owner = await TestPostgres.CreateOwnedDatabaseAsync("migrate");

        await Migrations.RunAsync(owner, new ApplicationRoleOptions { Username = _application }, new GrafanaRoleOptions { Username = _grafana });

        Assert.Equal(PostgresMigrator.LatestVersion, await ScalarAsync<int>(owner, "SELECT max(version) FROM schema_migrations"));
        Assert.Equal(0, await ScalarAsync<long>(owner, $"SELECT count(*) FROM pg_roles WHERE rolname IN ('{_application}', '{_grafana}')"));
    }

    /// <summary>Roles belong to the cluster: databases of one cluster migrating at once share them, first created, then changed.</summary>
    [Fact]
    public async Task DatabasesOfOneClusterMigrateTheSameRolesAtOnce()
    {
        var first = await TestPostgres.CreateOwnedDatabaseAsync("migrate");
        var databases = new List<string> { first };
        for (var i = 0; i < 3; i++)
        {
            var name = $"migrate_{Guid.NewGuid():N}";
            // The same owner, as one RDS master user owns every database of its instance.
            await ScalarAsync<int>(first, $"CREATE DATABASE {name}");
            databases.Add(new NpgsqlConnectionStringBuilder(first) { Database = name }.ConnectionString);
        }

        var application = new ApplicationRoleOptions { Username = _application, Password = _applicationPassword };
        var grafana = new GrafanaRoleOptions { Username = _grafana, Password = _grafanaPassword };
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(databases.Select(database => Task.Run(() => Migrations.RunAsync(database, application, grafana))));
        }

        foreach (var database in databases)
        {
            Assert.Equal(0L, await ScalarAsync<long>(TestPostgres.As(database, _grafana, _grafanaPassword), "SELECT count(status) FROM runs"));
            Assert.Equal(0L, await ScalarAsync<long>(TestPostgres.As(database, _application, _applicationPassword), "SELECT count(deadline_at) FROM runs"));
        }
    }

    private Dictionary<string, string> Settings(string ownerConnectionString) => new()
    {
        ["ConnectionStrings__Postgres"] = ownerConnectionString,
        ["Postgres__ApplicationRole__Username"] = _application,
        ["Postgres__ApplicationRole__Password"] = _applicationPassword,
        ["Postgres__GrafanaRole__Username"] = _grafana,
        ["Postgres__GrafanaRole__Password"] = _grafanaPassword,
    };

    /// <summary>Every privilege of the two roles on this database's tables and columns, and their settings, as text.</summary>
    private async Task<List<string>> RightsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT grantee || ': ' || privilege_type || ' ' || table_name || '.' || column_name FROM information_schema.column_privileges
            WHERE grantee = ANY (@roles)
            UNION ALL
            SELECT grantee || ': ' || privilege_type || ' ' || table_name FROM information_schema.table_privileges WHERE grantee = ANY (@roles)
            UNION ALL
            SELECT rolname || ': ' || coalesce(array_to_string(rolconfig, ','), '') || ' limit ' || rolconnlimit || ' login ' || rolcanlogin
            FROM pg_roles WHERE rolname = ANY (@roles)
            UNION ALL
            SELECT 'database: ' || datacl::text FROM pg_database WHERE datname = current_database()
            ORDER BY 1
            """,
            connection);
        command.Parameters.AddWithValue("roles", new[] { _application, _grafana });
        await using var reader = await command.ExecuteReaderAsync();
        var rights = new List<string>();
        while (await reader.ReadAsync())
        {
            rights.Add(reader.GetString(0));
        }

        return rights;
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is T typed ? typed : (T)Convert.ChangeType(value ?? 0, typeof(T), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
