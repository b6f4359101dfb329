using IotPlayground.Domain;
using Npgsql;

namespace IotPlayground.Postgres;

internal sealed class PostgresSensorDataStore(PostgresGuard guard) : ISensorDataStore
{
    public Task<bool> TryAddAsync(IReadOnlyList<SensorReading> readings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readings);
        ArgumentOutOfRangeException.ThrowIfZero(readings.Count);
        return guard.RunAsync(async dataSource =>
        {
            // One statement, one round trip: the runs are checked (Run.TakesReading) as the rows are written, so a
            // batch is stored whole or not at all, and not at all when one reading's run refuses it. The check is
            // uncorrelated, so PostgreSQL evaluates it once per statement, before any row. A retried reading
            // replaces itself.
            await using var command = dataSource.CreateCommand(
                """
                INSERT INTO sensor_data (run_id, sensor_id, recorded_at, temperature, humidity, pressure)
                SELECT * FROM unnest(@run_ids, @sensor_ids, @recorded_at, @temperatures, @humidities, @pressures)
                WHERE NOT EXISTS (
                    SELECT FROM unnest(@run_ids, @recorded_at) AS reading (run_id, recorded_at)
                    LEFT JOIN runs ON runs.id = reading.run_id
                    WHERE runs.id IS NULL
                       OR runs.status <> 'RUNNING'
                       OR runs.deadline_at < @now
                       OR reading.recorded_at < runs.started_at - @max_clock_skew)
                ON CONFLICT (run_id, recorded_at, sensor_id) DO UPDATE
                SET temperature = excluded.temperature, humidity = excluded.humidity, pressure = excluded.pressure
                """);
            command.Parameters.AddWithValue("run_ids", readings.Select(r => r.RunId).ToArray());
            command.Parameters.AddWithValue("sensor_ids", readings.Select(r => r.SensorId).ToArray());
            command.Parameters.AddWithValue("recorded_at", readings.Select(r => r.Timestamp).ToArray());
            command.Parameters.AddWithValue("temperatures", readings.Select(r => r.Temperature).ToArray());
            command.Parameters.AddWithValue("humidities", readings.Select(r => r.Humidity).ToArray());
            command.Parameters.AddWithValue("pressures", readings.Select(r => r.Pressure).ToArray());
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("max_clock_skew", SensorReadings.MaxClockSkew);
            return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        });
    }

    public async Task<ReadingSlice> QueryAsync(ReadingQuery query, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var conditions = new List<string> { "run_id = @run_id" };
        if (query.SensorId is not null)
        {
            conditions.Add("sensor_id = @sensor_id");
        }

        if (query.From is not null)
        {
            conditions.Add("recorded_at >= @from");
        }

        if (query.To is not null)
        {
            conditions.Add("recorded_at <= @to");
        }

        if (query.After is not null)
        {
            conditions.Add("(recorded_at, sensor_id) > (@after_recorded_at, @after_sensor_id)");
        }

        return new ReadingSlice(await guard.RunAsync<IReadOnlyList<SensorReading>>(async dataSource =>
        {
            await using var command = dataSource.CreateCommand(
                $"""
                SELECT run_id, sensor_id, recorded_at, temperature, humidity, pressure FROM sensor_data
                WHERE {string.Join(" AND ", conditions)}
                ORDER BY recorded_at, sensor_id LIMIT @limit
                """);
            command.Parameters.AddWithValue("run_id", query.RunId);
            command.Parameters.AddWithValue("limit", limit);
            AddIfSet(command, "sensor_id", query.SensorId);
            AddIfSet(command, "from", query.From);
            AddIfSet(command, "to", query.To);
            AddIfSet(command, "after_recorded_at", query.After?.Timestamp);
            AddIfSet(command, "after_sensor_id", query.After?.SensorId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var readings = new List<SensorReading>();
            while (await reader.ReadAsync(cancellationToken))
            {
                readings.Add(new SensorReading(
                    reader.GetGuid(0),
                    reader.GetString(1),
                    reader.GetFieldValue<DateTimeOffset>(2),
                    reader.GetDouble(3),
                    reader.IsDBNull(4) ? null : reader.GetDouble(4),
                    reader.IsDBNull(5) ? null : reader.GetDouble(5)));
            }

            return readings;
        }));
    }

    private static void AddIfSet<T>(NpgsqlCommand command, string name, T? value)
    {
        if (value is not null)
        {
            command.Parameters.AddWithValue(name, value);
        }
    }
}
