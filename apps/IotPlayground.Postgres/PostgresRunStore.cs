using IotPlayground.Domain;
using Npgsql;

namespace IotPlayground.Postgres;

internal sealed class PostgresRunStore(PostgresGuard guard, int maxRunning) : IRunStore
{
    /// <summary>Serialises starts: the quota count and the insert must see every start committed before them.</summary>
    private const long QuotaLock = 0x10_7_02;

    private const string Columns =
        "id, username, status, started_at, finished_at, duration_seconds, interval_seconds, sensor_count, measures, end_reason";

    public int MaxRunning => maxRunning;

    public Task<bool> TryStartAsync(Run run, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return guard.RunAsync(async dataSource =>
        {
            // One round trip, one implicit transaction: the lock is taken, the count made and the run inserted on the
            // server, and the lock goes at the commit that ends the batch. No client round trip happens while it is
            // held, so a burst of starts queues on the server for microseconds each, not for the client's replies.
            await using var batch = dataSource.CreateBatch();
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({QuotaLock})"));

            // A statement after the lock: under READ COMMITTED its snapshot holds every start committed before it.
            var insert = new NpgsqlBatchCommand(
                $"""
                INSERT INTO runs ({Columns}, deadline_at)
                SELECT @id, @username, 'RUNNING', @started_at, NULL, @duration, @interval, @sensor_count, @measures, NULL, @deadline_at
                WHERE (SELECT count(*) FROM runs WHERE status = 'RUNNING' AND deadline_at >= @now) < @max_running
                """);
            insert.Parameters.AddWithValue("id", run.Id);
            insert.Parameters.AddWithValue("username", run.Username);
            insert.Parameters.AddWithValue("started_at", run.StartedAt);
            insert.Parameters.AddWithValue("duration", run.Duration);
            insert.Parameters.AddWithValue("interval", run.Interval);
            insert.Parameters.AddWithValue("sensor_count", run.Params.SensorCount);
            insert.Parameters.AddWithValue("measures", run.Params.Measures.Select(Measures.NameOf).ToArray());
            insert.Parameters.AddWithValue("deadline_at", run.Deadline);
            insert.Parameters.AddWithValue("now", now);
            insert.Parameters.AddWithValue("max_running", (long)maxRunning);
            batch.BatchCommands.Add(insert);
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return insert.RecordsAffected == 1;
        });
    }

    public async Task<Run?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM runs WHERE id = @id", p => p.AddWithValue("id", id), cancellationToken))
        .SingleOrDefault();

    public Task<IReadOnlyList<Run>> ListRunningAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM runs WHERE status = 'RUNNING' ORDER BY started_at, id", _ => { }, cancellationToken);

    public Task<bool> TryEndAsync(Run ended, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ended);
        return guard.RunAsync(async dataSource =>
        {
            await using var command = dataSource.CreateCommand(
                "UPDATE runs SET status = @status, end_reason = @end_reason, finished_at = @finished_at WHERE id = @id AND status = 'RUNNING'");
            command.Parameters.AddWithValue("id", ended.Id);
            command.Parameters.AddWithValue("status", WireNames.Of(ended.Status));
            command.Parameters.AddWithValue("end_reason", WireNames.Of(ended.EndReason ?? throw new ArgumentException("An ended run needs an end reason.", nameof(ended))));
            command.Parameters.AddWithValue("finished_at", ended.FinishedAt ?? throw new ArgumentException("An ended run needs a finish time.", nameof(ended)));
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        });
    }

    public Task<IReadOnlyList<Run>> ListNewestAsync(int limit, RunCursor? after, CancellationToken cancellationToken)
    {
        var keyset = after is null ? "" : "WHERE (started_at, id) < (@after_started_at, @after_id)";
        return QueryAsync(
            $"SELECT {Columns} FROM runs {keyset} ORDER BY started_at DESC, id DESC LIMIT @limit",
            p =>
            {
                p.AddWithValue("limit", limit);
                if (after is not null)
                {
                    p.AddWithValue("after_started_at", after.StartedAt);
                    p.AddWithValue("after_id", after.Id);
                }
            },
            cancellationToken);
    }

    private Task<IReadOnlyList<Run>> QueryAsync(string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken) =>
        guard.RunAsync<IReadOnlyList<Run>>(async dataSource =>
        {
            await using var command = dataSource.CreateCommand(sql);
            bind(command.Parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var runs = new List<Run>();
            while (await reader.ReadAsync(cancellationToken))
            {
                runs.Add(ReadRun(reader));
            }

            return runs;
        });

    private static Run ReadRun(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        WireNames.ParseStatus(reader.GetString(2)),
        reader.GetFieldValue<DateTimeOffset>(3),
        reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
        reader.GetInt32(5),
        reader.GetInt32(6),
        new RunParams(reader.GetInt32(7), reader.GetFieldValue<string[]>(8).Select(ParseMeasure).ToList()),
        reader.IsDBNull(9) ? null : WireNames.ParseEndReason(reader.GetString(9)));

    private static Measure ParseMeasure(string name) =>
        Measures.TryParse(name, out var measure) ? measure : throw new FormatException($"'{name}' is not a measure.");
}
