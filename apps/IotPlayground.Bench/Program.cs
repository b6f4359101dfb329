using System.Diagnostics;
using System.Globalization;
using IotPlayground.Bench;
using IotPlayground.Domain;

// Sensor ingestion over HTTP at several connection counts, one reading a request and batches of 25, next to
// PostgreSQL's own insert rate for the same rows, measured in one run.
// Usage: IotPlayground.Bench --postgres <connection string> --api <IotPlayground.Api.dll>
var options = BenchOptions.Parse(args);
var database = await BenchDatabase.CreateAsync(options.Postgres);
await using var api = await ApiProcess.StartAsync(options.ApiDll, database.ConnectionString);

var single = await MeasureHttpAsync("one reading per POST /api/sensors/data", readingsPerRequest: 1);
var batch = await MeasureHttpAsync($"a batch of {SensorReadings.MaxBatch} readings per POST /api/sensors/data", SensorReadings.MaxBatch);

Console.WriteLine($"PostgreSQL's own insert rate for the same rows ({options.DirectRows} rows per method, one connection)");
Console.WriteLine($"{"method",-34} {"rows/s",12}");
var directResults = await DirectInsert.RunAllAsync(database, options.DirectRows);
foreach (var (method, rowsPerSecond) in directResults)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{method,-34} {rowsPerSecond,12:F0}"));
}

Console.WriteLine();
CompareBest("single readings", single, DirectInsert.Copy);
CompareBest("batches", batch, DirectInsert.BatchOfTheContract);
return 0;

async Task<List<IngestionResult>> MeasureHttpAsync(string shape, int readingsPerRequest)
{
    Console.WriteLine($"Sensor ingestion, {shape}, {options.Seconds} s per level after {options.WarmupSeconds} s warm-up");
    Console.WriteLine($"{"connections",-12} {"readings/s",12} {"p50 ms",9} {"p99 ms",9} {"requests",9} {"errors",7}");
    var results = new List<IngestionResult>();
    foreach (var connections in options.Connections)
    {
        var result = await HttpIngestion.RunAsync(api.BaseAddress, connections, readingsPerRequest, options);
        results.Add(result);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{connections,-12} {result.PerSecond,12:F0} {result.P50Milliseconds,9:F2} {result.P99Milliseconds,9:F2} {result.Requests,9} {result.Errors,7}"));
    }

    Console.WriteLine();
    return results;
}

void CompareBest(string shape, List<IngestionResult> http, string method)
{
    var best = http.MaxBy(r => r.PerSecond)!;
    var direct = directResults.Single(r => r.Method == method).RowsPerSecond;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Best HTTP level for {shape} ({best.Connections} connections) reaches {best.PerSecond / direct:P1} of the rate of {method}."));
}

namespace IotPlayground.Bench
{
    internal sealed record BenchOptions(string Postgres, string ApiDll, int[] Connections, int Seconds, int WarmupSeconds, int DirectRows)
    {
        public static BenchOptions Parse(string[] args)
        {
            string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
            return new BenchOptions(
                Value("--postgres") ?? throw new ArgumentException("--postgres <connection string> is required"),
                Value("--api") ?? throw new ArgumentException("--api <path of IotPlayground.Api.dll> is required"),
                (Value("--connections") ?? "1,8,32").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray(),
                int.Parse(Value("--seconds") ?? "10", CultureInfo.InvariantCulture),
                int.Parse(Value("--warmup") ?? "2", CultureInfo.InvariantCulture),
                int.Parse(Value("--direct-rows") ?? "100000", CultureInfo.InvariantCulture));
        }
    }

    internal static class Percentiles
    {
        public static double Of(List<double> sortedMilliseconds, double percentile) =>
            sortedMilliseconds.Count == 0 ? double.NaN : sortedMilliseconds[(int)Math.Min(sortedMilliseconds.Count - 1, Math.Ceiling(percentile * sortedMilliseconds.Count) - 1)];

        public static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
    }
}
