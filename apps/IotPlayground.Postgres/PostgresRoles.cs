using Npgsql;

namespace IotPlayground.Postgres;

/// <summary>The rights one role holds on one table, per column: whatever is not listed is refused.</summary>
internal sealed record TableRights(string Table, string[] Select, string[]? Insert = null, string[]? Update = null);

/// <summary>
/// Creates the login roles and gives each exactly the rights listed here, taking back anything else, so that a
/// changed list is applied by the next migration. Runs as the schema owner inside the migration's transaction.
/// </summary>
internal static class PostgresRoles
{
    /// <summary>Stands for the database the migrations run in, as the server names it.</summary>
    private static readonly object CurrentDatabase = new();

    private static readonly string[] RunColumns =
        ["id", "username", "status", "started_at", "finished_at", "duration_seconds", "interval_seconds", "sensor_count", "measures", "end_reason"];

    private static readonly string[] ReadingColumns = ["run_id", "sensor_id", "recorded_at", "temperature", "humidity", "pressure"];

    /// <summary>
    /// What the statements of <see cref="PostgresRunStore"/> and <see cref="PostgresSensorDataStore"/> read and write.
    /// Nothing is ever deleted; a reading sent again replaces its values (INSERT ... ON CONFLICT DO UPDATE).
    /// </summary>
    public static readonly TableRights[] Application =
    [
        new("runs", Select: [.. RunColumns, "deadline_at"], Insert: [.. RunColumns, "deadline_at"], Update: ["status", "end_reason", "finished_at"]),
        new("sensor_data", Select: ReadingColumns, Insert: ReadingColumns, Update: ["temperature", "humidity", "pressure"]),
    ];

    /// <summary>What the SQL of the ECS dashboards (apps/grafana/dashboards/ecs) reads; the panels' tests run as this role.</summary>
    public static readonly TableRights[] Grafana =
    [
        new("runs", Select: RunColumns),
        new("sensor_data", Select: ReadingColumns),
    ];

    public static async Task ApplyAsync(
        NpgsqlConnection connection, ApplicationRoleOptions application, GrafanaRoleOptions grafana, CancellationToken cancellationToken)
    {
        if (!application.IsManaged && !grafana.IsManaged)
        {
            return;
        }

        if (application.IsManaged && grafana.IsManaged && application.Username == grafana.Username)
        {
            throw new InvalidOperationException(
                $"Postgres:ApplicationRole:Username and Postgres:GrafanaRole:Username are both '{grafana.Username}': give each role its own name.");
        }

        // Every role may create temporary tables unless taken back from PUBLIC; none of ours needs them. Connecting is
        // granted to each role by name rather than left to whatever PUBLIC holds.
        await ExecuteFormattedAsync(connection, "REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC", cancellationToken, ("database", CurrentDatabase));
        if (application.IsManaged)
        {
            await ApplyRoleAsync(connection, application, Application, cancellationToken);
        }

        if (grafana.IsManaged)
        {
            await ApplyRoleAsync(connection, grafana, Grafana, cancellationToken);
            await ExecuteFormattedAsync(connection, "ALTER ROLE %I CONNECTION LIMIT %s", cancellationToken, ("role", grafana.Username), ("limit", grafana.ConnectionLimit));
            // Settings of the role, not of one database: they hold in whichever database of the cluster it connects to.
            await ExecuteFormattedAsync(connection, "ALTER ROLE %I SET default_transaction_read_only = on", cancellationToken, ("role", grafana.Username));
            await ExecuteFormattedAsync(
                connection, "ALTER ROLE %I SET statement_timeout = %L", cancellationToken,
                ("role", grafana.Username), ("timeout", $"{grafana.StatementTimeoutSeconds}s"));
        }
    }

    private static async Task ApplyRoleAsync(NpgsqlConnection connection, PostgresRoleOptions role, TableRights[] rights, CancellationToken cancellationToken)
    {
        await using (var current = new NpgsqlCommand("SELECT @role = current_user", connection))
        {
            current.Parameters.AddWithValue("role", role.Username);
            if ((bool)(await current.ExecuteScalarAsync(cancellationToken))!)
            {
                throw new InvalidOperationException(
                    $"The migrations run as '{role.Username}', the role they would restrict: run them as the schema owner (Postgres:Username).");
            }
        }

        await using (var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @role)", connection))
        {
            exists.Parameters.AddWithValue("role", role.Username);
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                await ExecuteFormattedAsync(connection, "CREATE ROLE %I", cancellationToken, ("role", role.Username));
            }
        }

        await ExecuteFormattedAsync(
            connection, "ALTER ROLE %I WITH LOGIN NOCREATEDB NOCREATEROLE PASSWORD %L", cancellationToken,
            ("role", role.Username), ("password", role.Password));
        await ExecuteFormattedAsync(connection, "GRANT CONNECT ON DATABASE %I TO %I", cancellationToken, ("database", CurrentDatabase), ("role", role.Username));
        await ExecuteFormattedAsync(connection, "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I", cancellationToken, ("role", role.Username));
        await ExecuteFormattedAsync(connection, "REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I", cancellationToken, ("role", role.Username));
        await ExecuteFormattedAsync(connection, "GRANT USAGE ON SCHEMA public TO %I", cancellationToken, ("role", role.Username));
        foreach (var table in rights)
        {
            // Table and column names are this file's constants; only the role name comes from configuration.
            await GrantAsync(connection, "SELECT", table.Select, table.Table, role.Username, cancellationToken);
            await GrantAsync(connection, "INSERT", table.Insert, table.Table, role.Username, cancellationToken);
            await GrantAsync(connection, "UPDATE", table.Update, table.Table, role.Username, cancellationToken);
        }
    }

    private static Task GrantAsync(NpgsqlConnection connection, string privilege, string[]? columns, string table, string role, CancellationToken cancellationToken) =>
        columns is null
            ? Task.CompletedTask
            : ExecuteFormattedAsync(connection, $"GRANT {privilege} ({string.Join(", ", columns)}) ON {table} TO %I", cancellationToken, ("role", role));

    /// <summary>
    /// Lets the server quote what comes from configuration (format's %I for names, %L for literals) and runs the
    /// statement it returns: no role name or password is ever pasted into SQL here. A null value stands for the
    /// current database.
    /// </summary>
    private static async Task ExecuteFormattedAsync(
        NpgsqlConnection connection, string template, CancellationToken cancellationToken, params (string Name, object? Value)[] arguments)
    {
        var placeholders = arguments.Select(a => ReferenceEquals(a.Value, CurrentDatabase) ? "current_database()" : $"@{a.Name}");
        string statement;
        await using (var format = new NpgsqlCommand($"SELECT format(@template, {string.Join(", ", placeholders)})", connection))
        {
            format.Parameters.AddWithValue("template", template);
            foreach (var (name, value) in arguments.Where(a => !ReferenceEquals(a.Value, CurrentDatabase)))
            {
                format.Parameters.AddWithValue(name, value ?? throw new ArgumentException($"{name} has no value.", nameof(arguments)));
            }

            statement = (string)(await format.ExecuteScalarAsync(cancellationToken))!;
        }

        await using var command = new NpgsqlCommand(statement, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
