using System.Diagnostics;
using IotPlayground.Domain;
using IotPlayground.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using NpgsqlTypes;

namespace IotPlayground.Bench;

internal sealed record BenchDatabase(string ConnectionString)
{
    public static async Task<BenchDatabase> CreateAsync(string server)
    {
        var name = $"bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new BenchDatabase(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }
}

/// <summary>
/// The same rows written straight to PostgreSQL: through the API's own store (one statement per call, run check
/// included, as the API does per request, and multi-row), and through COPY, the fastest path PostgreSQL offers.
/// </summary>
internal static class DirectInsert
{
    public const string BatchOfTheContract = "store, 25 rows per INSERT (a batch)";
    public const string Copy = "COPY BINARY";

    public static async Task<List<(string Method, double RowsPerSecond)>> RunAllAsync(BenchDatabase database, int rows)
    {
        // The store as the API registers it, on the database the API has migrated.
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["ConnectionStrings:Postgres"] = database.ConnectionString;
        builder.Configuration["Postgres:MigrateAtStartup"] = "false";
        builder.AddPostgresStores();
        using var host = builder.Build();
        var store = host.Services.GetRequiredService<ISensorDataStore>();
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        return
        [
            ("store, 1 row per INSERT", await ThroughStoreAsync(dataSource, store, Math.Max(1, rows / 10), 1)),
            (BatchOfTheContract, await ThroughStoreAsync(dataSource, store, rows, SensorReadings.MaxBatch)),
            ("store, 1,000 rows per INSERT", await ThroughStoreAsync(dataSource, store, rows, 1_000)),
            (Copy, await CopyAsync(dataSource, rows)),
        ];
    }

    private static async Task<double> ThroughStoreAsync(NpgsqlDataSource dataSource, ISensorDataStore store, int rows, int perStatement)
    {
        var readings = Readings(await NewRunAsync(dataSource), rows);
        var watch = Stopwatch.StartNew();
        foreach (var chunk in readings.Chunk(perStatement))
        {
            if (!await store.TryAddAsync(chunk, DateTimeOffset.UtcNow, CancellationToken.None))
            {
                throw new InvalidOperationException("The store refused readings of a running run.");
            }
        }

        return rows / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> CopyAsync(NpgsqlDataSource dataSource, int rows)
    {
        var readings = Readings(await NewRunAsync(dataSource), rows);
        await using var connection = await dataSource.OpenConnectionAsync();
        var watch = Stopwatch.StartNew();
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY sensor_data (run_id, sensor_id, recorded_at, temperature, humidity, pressure) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var r in readings)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(r.RunId, NpgsqlDbType.Uuid);
                await writer.WriteAsync(r.SensorId, NpgsqlDbType.Text);
                await writer.WriteAsync(r.Timestamp, NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(r.Temperature, NpgsqlDbType.Double);
                await writer.WriteAsync(r.Humidity, NpgsqlDbType.Double);
                await writer.WriteNullAsync();
            }

            await writer.CompleteAsync();
        }

        return rows / watch.Elapsed.TotalSeconds;
    }

    /// <summary>Readings shaped as the HTTP benchmark sends them: one per sensor and millisecond.</summary>
    private static List<SensorReading> Readings(Guid runId, int rows)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        return Enumerable.Range(0, rows)
            .Select(i => new SensorReading(runId, $"bench-{i % 32}", start.AddMilliseconds(i / 32), 20 + (i % 50) / 10.0, 45.5, null))
            .ToList();
    }

    private static async Task<Guid> NewRunAsync(NpgsqlDataSource dataSource)
    {
        var id = Guid.NewGuid();
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO runs (id, username, status, started_at, finished_at, deadline_at, duration_seconds, interval_seconds, sensor_count, measures, end_reason)
            VALUES (@id, 'bench', 'RUNNING', now(), NULL, now() + interval '1 day', 86400, 1, 32, '{temperature,humidity}', NULL)
            """);
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync();
        return id;
    }
}
