using System.Net.Http.Json;
using System.Text.Json;
using IotPlayground.Contract;
using IotPlayground.Lambda.Functions;
using IotPlayground.LambdaEmulator;
using Npgsql;

namespace IotPlayground.Compare;

/// <summary>The usage counters of the report, in its order: what drives each backend's cost.</summary>
public static class UsageCounters
{
    public const string Requests = "requests";
    public const string ReadingsAcknowledged = "readingsAcknowledged";
    public const string LambdaInvocations = "lambdaInvocations";
    public const string LambdaBilledMs = "lambdaBilledMs";
    public const string LambdaDurationMs = "lambdaDurationMs";
    public const string LambdaColdStarts = "lambdaColdStarts";
    public const string LambdaInitMs = "lambdaInitMs";
    public const string DynamoDbReadCapacityUnits = "dynamoDbReadCapacityUnits";
    public const string DynamoDbWriteCapacityUnits = "dynamoDbWriteCapacityUnits";
    public const string PostgresRowsInserted = "postgresRowsInserted";
    public const string PostgresRowsUpdated = "postgresRowsUpdated";
    public const string PostgresRowsDeleted = "postgresRowsDeleted";
    public const string PostgresRowsWritten = "postgresRowsWritten";
    public const string PostgresWalBytes = "postgresWalBytes";

    /// <summary>Each counter and how the report's usage table names it.</summary>
    public static IReadOnlyList<(string Name, string Label)> All { get; } =
    [
        (Requests, "requests"),
        (ReadingsAcknowledged, "readings stored"),
        (LambdaInvocations, "Lambda invocations"),
        (LambdaBilledMs, "Lambda billed duration, ms"),
        (LambdaDurationMs, "Lambda duration, ms"),
        (LambdaColdStarts, "Lambda cold starts"),
        (LambdaInitMs, "Lambda init duration, ms"),
        (DynamoDbReadCapacityUnits, "DynamoDB read capacity units"),
        (DynamoDbWriteCapacityUnits, "DynamoDB write capacity units"),
        (PostgresRowsInserted, "PostgreSQL rows inserted"),
        (PostgresRowsUpdated, "PostgreSQL rows updated"),
        (PostgresRowsDeleted, "PostgreSQL rows deleted"),
        (PostgresRowsWritten, "PostgreSQL rows written"),
        (PostgresWalBytes, "PostgreSQL WAL bytes"),
    ];
}

/// <summary>A backend's own counters, read before and after each repetition: the repetition's usage is the difference.</summary>
public interface IUsageSource
{
    /// <summary>What it counts, as the report names it when it could not be read.</summary>
    string Counts { get; }

    /// <summary>How long after a backend's last request its counters hold all of it.</summary>
    TimeSpan Settling { get; }

    /// <exception cref="UsageUnavailableException">The counters could not be read.</exception>
    Task<IReadOnlyDictionary<string, double>> ReadAsync(CancellationToken cancellationToken);
}

public sealed class UsageUnavailableException(string message, Exception inner) : Exception(message, inner);

/// <summary>What a backend's own counters said over one repetition, and what they could not say, with the reason.</summary>
public sealed record MeasuredUsage(IReadOnlyDictionary<string, double> Counters, IReadOnlyList<string> NotMeasured)
{
    public static MeasuredUsage Unmeasured(string reason) => new(new Dictionary<string, double>(), [reason]);

    /// <summary>The counters' growth from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static MeasuredUsage Between(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return new(after.ToDictionary(c => c.Key, c => c.Value - before.GetValueOrDefault(c.Key), StringComparer.Ordinal), []);
    }

    /// <summary>Runs <paramref name="repetition"/> between two readings of <paramref name="target"/>'s counters.</summary>
    public static async Task<(T Result, MeasuredUsage Usage)> AroundAsync<T>(
        BackendTarget target, Func<Task<T>> repetition, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(repetition);
        if (target.Usage is not { } source)
        {
            return (await repetition(), Unmeasured(target.UsageNotMeasured ?? "The backend's own counters are not measured."));
        }

        var before = await TryReadAsync(source, cancellationToken);
        var result = await repetition();
        await Task.Delay(source.Settling, clock, cancellationToken);
        var after = await TryReadAsync(source, cancellationToken);
        return (result, (before.Problem ?? after.Problem) is { } problem
            ? Unmeasured($"{source.Counts}: not measured, {problem}")
            : Between(before.Counters!, after.Counters!));
    }

    private static async Task<(IReadOnlyDictionary<string, double>? Counters, string? Problem)> TryReadAsync(IUsageSource source, CancellationToken cancellationToken)
    {
        try
        {
            return (await source.ReadAsync(cancellationToken), null);
        }
        catch (UsageUnavailableException ex)
        {
            return (null, ex.Message);
        }
    }
}

/// <summary>A counter over a profile: the median of the repetitions' totals, and that total per simulated minute of the profile.</summary>
public sealed record UsageCounter(double Total, double PerMinute);

/// <summary>The usage that drives cost: every counter measured in each repetition, and what was not measured, with the reason.</summary>
public sealed record UsageFigures(IReadOnlyDictionary<string, UsageCounter> Counters, double? LambdaBilledMsPerInvocation, IReadOnlyList<string> NotMeasured)
{
    /// <summary>
    /// A counter's total is the median over the repetitions that measured it, all of them or it is left out (and said
    /// so); its rate is that total over the profile's duration in minutes (a run's duration, what a user simulates).
    /// </summary>
    public static UsageFigures Of(WorkloadProfile profile, IReadOnlyList<RepetitionResult> repetitions)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(repetitions);
        var minutes = profile.DurationSeconds / 60.0;
        var perRepetition = repetitions.Select(r => new Dictionary<string, double>(r.Usage.Counters, StringComparer.Ordinal)
        {
            [UsageCounters.Requests] = r.Samples.Count,
            [UsageCounters.ReadingsAcknowledged] = r.ReadingsAcknowledged,
        }).ToList();
        var counters = new Dictionary<string, UsageCounter>(StringComparer.Ordinal);
        foreach (var (name, _) in UsageCounters.All)
        {
            if (perRepetition.Count > 0 && perRepetition.All(c => c.ContainsKey(name)))
            {
                var total = Statistics.Median([.. perRepetition.Select(c => c[name])]);
                counters[name] = new UsageCounter(total, total / minutes);
            }
        }

        var billedPerInvocation = perRepetition
            .Where(c => c.GetValueOrDefault(UsageCounters.LambdaInvocations) > 0 && c.ContainsKey(UsageCounters.LambdaBilledMs))
            .Select(c => c[UsageCounters.LambdaBilledMs] / c[UsageCounters.LambdaInvocations])
            .ToList();
        return new UsageFigures(
            counters,
            billedPerInvocation.Count == 0 ? null : Statistics.Median(billedPerInvocation),
            [.. repetitions.SelectMany(r => r.Usage.NotMeasured).Distinct(StringComparer.Ordinal)]);
    }
}

/// <summary>
/// The local serverless host's count of its functions (<see cref="LocalHostPaths.Usage"/>), summed over both: their
/// invocations, billed duration, cold starts, and the DynamoDB capacity the functions reported in their EMF metrics.
/// </summary>
public sealed class LambdaHostUsage(Uri host) : IUsageSource
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Counts => "Lambda invocations, billed duration and DynamoDB capacity";

    /// <summary>An invocation is counted before its answer leaves; its EMF lines are read from its output a moment later.</summary>
    public TimeSpan Settling => TimeSpan.FromMilliseconds(500);

    public async Task<IReadOnlyDictionary<string, double>> ReadAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = host, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            var functions = await http.GetFromJsonAsync<Dictionary<string, FunctionUsageSnapshot>>(LocalHostPaths.Usage, Json, cancellationToken)
                ?? throw new JsonException("The answer is empty.");
            return Sum(functions.Values);
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new UsageUnavailableException($"the host's {LocalHostPaths.Usage} did not answer ({ex.Message})", ex);
        }
    }

    public static IReadOnlyDictionary<string, double> Sum(IEnumerable<FunctionUsageSnapshot> functions)
    {
        var all = functions.ToList();
        double Metric(string name) => all.Sum(f => f.Metrics.GetValueOrDefault(name));
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [UsageCounters.LambdaInvocations] = all.Sum(f => f.Invocations),
            [UsageCounters.LambdaBilledMs] = all.Sum(f => f.BilledMs),
            [UsageCounters.LambdaDurationMs] = all.Sum(f => f.DurationMs),
            [UsageCounters.LambdaColdStarts] = all.Sum(f => f.ColdStarts),
            [UsageCounters.LambdaInitMs] = all.Sum(f => f.InitMs),
            [UsageCounters.DynamoDbReadCapacityUnits] = Metric(EmfMetrics.DynamoDbReadCapacityUnits),
            [UsageCounters.DynamoDbWriteCapacityUnits] = Metric(EmfMetrics.DynamoDbWriteCapacityUnits),
        };
    }
}

/// <summary>
/// The container backend's database: the rows its tables had inserted, updated and deleted (pg_stat_user_tables), and
/// the write-ahead log it wrote, in bytes (the WAL insert position; the WAL is the cluster's, which is the backend's own).
/// </summary>
public sealed class PostgresUsage(string connectionString) : IUsageSource
{
    public string Counts => "PostgreSQL rows and WAL bytes written";

    /// <summary>
    /// A backend's row counts reach pg_stat_user_tables when it goes idle, but at most once a second: counts left over
    /// are published on its next idle timeout, 10 s later (PostgreSQL's PGSTAT_IDLE_INTERVAL).
    /// </summary>
    public TimeSpan Settling => TimeSpan.FromSeconds(11);

    public async Task<IReadOnlyDictionary<string, double>> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return await ReadOnceAsync(connection, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or ArgumentException)
        {
            throw new UsageUnavailableException($"the database did not answer ({ex.Message})", ex);
        }
    }

    private static async Task<Dictionary<string, double>> ReadOnceAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT coalesce(sum(n_tup_ins), 0)::float8, coalesce(sum(n_tup_upd), 0)::float8, coalesce(sum(n_tup_del), 0)::float8,
                   pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::float8
            FROM pg_stat_user_tables
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (inserted, updated, deleted) = (reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2));
        return new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [UsageCounters.PostgresRowsInserted] = inserted,
            [UsageCounters.PostgresRowsUpdated] = updated,
            [UsageCounters.PostgresRowsDeleted] = deleted,
            [UsageCounters.PostgresRowsWritten] = inserted + updated + deleted,
            [UsageCounters.PostgresWalBytes] = reader.GetDouble(3),
        };
    }
}
