using Npgsql;

namespace IotPlayground.Api.Postgres;

/// <summary>
/// Brings the schema up to date at start-up, idempotently: each migration runs once, in order, under an
/// advisory lock so that tasks starting together do not race.
/// </summary>
public sealed partial class PostgresSchemaMigrator(NpgsqlDataSource dataSource, ILogger<PostgresSchemaMigrator> logger) : IHostedService
{
    private const long MigrationLock = 0x10_7_01;
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
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var giveUpAt = DateTime.UtcNow + StartupPatience;
        while (true)
        {
            try
            {
                await MigrateAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException ex) when (ex is not PostgresException { IsTransient: false } && DateTime.UtcNow < giveUpAt)
            {
                LogWaiting(ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateAsync(CancellationToken cancellationToken)
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
}
