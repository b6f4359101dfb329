using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IotPlayground.Postgres;

/// <summary>
/// Brings the schema, then the login roles, up to date, idempotently: each migration runs once, in order, under an
/// advisory lock so that tasks starting together do not race. Runs with the schema owner's credentials, at start-up
/// or as the one-shot <c>migrate</c> command.
/// </summary>
public sealed partial class PostgresMigrator(
    NpgsqlDataSource dataSource,
    IOptions<ApplicationRoleOptions> applicationRole,
    IOptions<GrafanaRoleOptions> grafanaRole,
    ILogger<PostgresMigrator> logger)
{
    private const long MigrationLock = 0x10_7_01;
    private const int RoleChangeAttempts = 5;
    private static readonly TimeSpan StartupPatience = TimeSpan.FromSeconds(60);

    /// <summary>Append only: a migration that shipped never changes.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE runs (
            id uuid PRIMARY KEY,
            username text NOT NULL,
            status text NOT NULL CHECK (status IN ('RUNNING', 'COMPLETED', 'INTERRUPTED', 'FAILED')),
            started_at timestamptz NOT NULL,
            finished_at timestamptz,
            deadline_at timestamptz NOT NULL,
            duration_seconds integer NOT NULL CHECK (duration_seconds > 0),
            interval_seconds integer NOT NULL CHECK (interval_seconds > 0),
            sensor_count integer NOT NULL CHECK (sensor_count > 0),
            measures text[] NOT NULL,
            end_reason text CHECK (end_reason IN ('finished', 'interrupted', 'expired', 'error')),
            CHECK ((status = 'RUNNING') = (finished_at IS NULL AND end_reason IS NULL))
        );
        CREATE INDEX runs_newest_first ON runs (started_at DESC, id DESC);
        CREATE INDEX runs_running ON runs (deadline_at) WHERE status = 'RUNNING';
        CREATE INDEX runs_by_user ON runs (username, started_at DESC);
        CREATE TABLE sensor_data (
            run_id uuid NOT NULL REFERENCES runs (id),
            recorded_at timestamptz NOT NULL,
            sensor_id text NOT NULL,
            temperature double precision NOT NULL,
            humidity double precision,
            pressure double precision,
            received_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (run_id, recorded_at, sensor_id)
        );
        CREATE INDEX sensor_data_by_sensor ON sensor_data (sensor_id, recorded_at);
        """,

        // Readings of one instant come back in sensor id order by bytes, as DynamoDB orders its timestamp#sensorId
        // sort keys, whatever the database's collation: RDS creates databases in en_US.UTF-8, where "a" sorts before
        // "B", and bytes put "B" first. Comparing bytes is also cheaper than a linguistic comparison. PostgreSQL
        // rebuilds the two indexes that hold the column.
        """
        ALTER TABLE sensor_data ALTER COLUMN sensor_id TYPE text COLLATE "C";
        """,
    ];

    /// <summary>The version a migrated database records: that of the last migration.</summary>
    public static int LatestVersion => Migrations.Length;

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        // Read first: a bad setting fails here, before anything changes.
        var application = applicationRole.Value;
        var grafana = grafanaRole.Value;
        var giveUpAt = DateTime.UtcNow + StartupPatience;
        var attempt = 1;
        while (true)
        {
            try
            {
                await MigrateOnceAsync(application, grafana, cancellationToken);
                return;
            }
            catch (NpgsqlException ex) when (ex is not PostgresException { IsTransient: false } && DateTime.UtcNow < giveUpAt)
            {
                LogWaiting(ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (PostgresException ex) when (IsConcurrentRoleChange(ex) && attempt++ < RoleChangeAttempts)
            {
                // The transaction rolled back whole; the next attempt finds what the other database's migration did.
                LogConcurrentRoleChange(ex.MessageText);
            }
        }
    }

    /// <summary>
    /// Roles belong to the cluster, while the advisory lock holds only within one database: two databases migrating
    /// at once may create the same role (duplicate_object, or a unique violation on pg_authid when both insert it)
    /// or change the same role's row, which PostgreSQL reports only as the internal error "tuple concurrently updated".
    /// The other side has committed by the time the error is raised, so trying again succeeds.
    /// </summary>
    private static bool IsConcurrentRoleChange(PostgresException ex) => ex.SqlState switch
    {
        PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation => true,
        PostgresErrorCodes.InternalError => ex.MessageText == "tuple concurrently updated",
        _ => false,
    };

    private async Task MigrateOnceAsync(ApplicationRoleOptions application, GrafanaRoleOptions grafana, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, $"SELECT pg_advisory_xact_lock({MigrationLock})", cancellationToken);
        await Execute(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken);

        await using var versionCommand = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection);
        var applied = (int)(await versionCommand.ExecuteScalarAsync(cancellationToken))!;
        for (var version = applied + 1; version <= Migrations.Length; version++)
        {
            await Execute(connection, Migrations[version - 1], cancellationToken);
            await Execute(connection, $"INSERT INTO schema_migrations (version) VALUES ({version})", cancellationToken);
            LogApplied(version);
        }

        await PostgresRoles.ApplyAsync(connection, application, grafana, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version}")]
    private partial void LogApplied(int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL not reachable yet, retrying the schema migration: {Reason}")]
    private partial void LogWaiting(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Another database of the cluster changed the same roles at once, migrating again: {Reason}")]
    private partial void LogConcurrentRoleChange(string reason);
}

/// <summary>Migrates before the API serves, unless <see cref="PostgresOptions.MigrateAtStartup"/> is off.</summary>
public sealed class PostgresMigrationAtStartup(PostgresMigrator migrator, IOptions<PostgresOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        options.Value.MigrateAtStartup ? migrator.MigrateAsync(cancellationToken) : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
