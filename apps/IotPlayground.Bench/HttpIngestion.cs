using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace IotPlayground.Bench;

/// <summary>One level of load: readings stored per second, the latency of a request, and how many requests were answered.</summary>
internal sealed record IngestionResult(int Connections, double PerSecond, double P50Milliseconds, double P99Milliseconds, long Requests, long Errors);

/// <summary>
/// Closed-loop load: each connection sends its next request as soon as the previous one is answered, one reading a
/// request (<c>{"runId":...}</c>) or a batch of several (<c>{"readings":[...]}</c>).
/// </summary>
internal static class HttpIngestion
{
    public static async Task<IngestionResult> RunAsync(Uri baseAddress, int connections, int readingsPerRequest, BenchOptions options)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var runId = await StartRunAsync(client);
        var firstTimestamp = DateTimeOffset.UtcNow.AddSeconds(-30);

        var warmupEnds = Stopwatch.GetTimestamp() + (options.WarmupSeconds * Stopwatch.Frequency);
        var measureEnds = warmupEnds + (options.Seconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections)
            .Select(worker => Task.Run(() => SendUntilAsync(
                client, runId, $"bench-{connections}-{worker}", readingsPerRequest, firstTimestamp, warmupEnds, measureEnds)))
            .ToList();
        var results = await Task.WhenAll(workers);
        await FinishRunAsync(client, runId);

        var latencies = results.SelectMany(r => r.Latencies).Order().ToList();
        var errors = results.Sum(r => r.Errors);
        return new IngestionResult(
            connections,
            latencies.Count * readingsPerRequest / (double)options.Seconds,
            Percentiles.Of(latencies, 0.50),
            Percentiles.Of(latencies, 0.99),
            latencies.Count + errors,
            errors);
    }

    private static async Task<(List<double> Latencies, long Errors)> SendUntilAsync(
        HttpClient client, string runId, string sensorId, int readingsPerRequest, DateTimeOffset firstTimestamp, long warmupEnds, long measureEnds)
    {
        var latencies = new List<double>(capacity: 100_000);
        long errors = 0;
        for (var sequence = 0; ; sequence++)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= measureEnds)
            {
                return (latencies, errors);
            }

            // A batch is the readings of as many sensors at one instant, as a gateway in front of them sends it.
            var body = readingsPerRequest == 1
                ? Reading(runId, sensorId, firstTimestamp, sequence)
                : $$"""{"readings":[{{string.Join(',', Enumerable.Range(0, readingsPerRequest).Select(i => Reading(runId, $"{sensorId}-{i}", firstTimestamp, sequence)))}}]}""";
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sensors/data") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-User", "bench");
            using var response = await client.SendAsync(request);
            var elapsed = Percentiles.Milliseconds(Stopwatch.GetTimestamp() - started);
            if (started < warmupEnds)
            {
                continue;
            }

            if (response.StatusCode == HttpStatusCode.Created)
            {
                latencies.Add(elapsed);
            }
            else
            {
                errors++;
            }
        }
    }

    /// <summary>Each request of a connection has its own millisecond, so that no reading replaces another.</summary>
    private static string Reading(string runId, string sensorId, DateTimeOffset firstTimestamp, int sequence) =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"runId":"{{runId}}","sensorId":"{{sensorId}}","timestamp":"{{firstTimestamp.AddMilliseconds(sequence):O}}","temperature":{{20 + (sequence % 50) / 10.0}},"humidity":45.5}""");

    private static async Task<string> StartRunAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/runs/start")
        {
            Content = new StringContent("""{"duration":3600,"interval":1,"params":{"sensorCount":20,"measures":["humidity"]}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-User", "bench");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }

    private static async Task FinishRunAsync(HttpClient client, string runId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/runs/{runId}/finish");
        request.Headers.Add("X-User", "bench");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
