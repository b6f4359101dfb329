using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Contract;

/// <summary>
/// The store is killed while sensors send single readings and batches at once: writes in flight and after answer 503
/// quickly, never hang, the API recovers by itself when the store is back, and every reading it acknowledged is stored.
/// </summary>
public abstract class StoreOutageContract(IOutageBackend backend) : ContractTest(backend)
{
    private const int SingleWriters = 4;
    private const int BatchWriters = 2;
    private const int BatchSize = 25;
    private static readonly TimeSpan QuickAnswer = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AStoreOutageIsA503AndLosesNothingAcknowledged()
    {
        var run = await Client.StartedRun("alice", duration: 3_600, interval: 1);
        var writers = new Writers(Client, run.Id(), ApiCalls.Now());
        writers.Start();

        // Both kinds of write are acknowledged before the kill, refused during the outage, and acknowledged after it.
        await writers.UntilEachKindAsync(HttpStatusCode.Created, "acknowledged before the outage");
        var inFlight = writers.InFlight;
        await backend.StopStoreAsync();
        await writers.UntilEachKindAsync(HttpStatusCode.ServiceUnavailable, "refused during the outage");
        await (await Client.StartRun("bob")).AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
        await (await Client.Get("/api/runs/can-start")).AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
        using (var health = await Client.Get("/health"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        await backend.StartStoreAsync();
        await writers.UntilEachKindAsync(HttpStatusCode.Created, "acknowledged after the outage", since: writers.Sent);
        await writers.StopAsync();

        Assert.True(inFlight > 0, "No write was in flight when the store was killed.");
        var stored = await StoredReadingsAsync(run.Id());
        var lost = writers.Acknowledged.Where(r => !stored.TryGetValue(r.Key, out var temperature) || temperature != r.Temperature).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {writers.Acknowledged.Count} acknowledged readings are not stored, e.g. {string.Join(", ", lost.Take(5))}.");
        foreach (var batch in writers.Batches)
        {
            var kept = batch.Count(r => stored.ContainsKey(r.Key));
            Assert.True(kept is 0 or BatchSize, $"A batch of {BatchSize} readings left {kept} of them stored.");
        }

        using var healthAfter = await Client.Get("/health");
        Assert.Equal(HttpStatusCode.OK, healthAfter.StatusCode);
    }

    /// <summary>Every stored reading of the run, by key, read page by page to the end.</summary>
    private async Task<Dictionary<(string SensorId, DateTimeOffset Timestamp), double>> StoredReadingsAsync(string runId)
    {
        var stored = new Dictionary<(string, DateTimeOffset), double>();
        string? cursor = null;
        do
        {
            var page = await Client.GetJson($"/api/sensors/data?runId={runId}&limit=1000" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            foreach (var reading in (JsonArray)page["items"]!)
            {
                var key = ((string)reading!["sensorId"]!, DateTimeOffset.Parse((string)reading["timestamp"]!, CultureInfo.InvariantCulture));
                stored[key] = (double)reading["temperature"]!;
            }

            cursor = (string?)page["nextCursor"];
        }
        while (cursor is not null);

        return stored;
    }

    private sealed record Reading(string SensorId, DateTimeOffset Timestamp, double Temperature)
    {
        public (string SensorId, DateTimeOffset Timestamp) Key => (SensorId, Timestamp);

        public JsonObject ToJson(string runId) =>
            new() { ["runId"] = runId, ["sensorId"] = SensorId, ["timestamp"] = Timestamp.ToString("O"), ["temperature"] = Temperature };
    }

    /// <summary>
    /// Sensors that send without pause, each its own readings under a key of its own (sensor id and timestamp): some one
    /// reading a request, some batches of 25. Every answer must come quickly, and be a 201 or the contract's 503.
    /// </summary>
    private sealed class Writers(HttpClient client, string runId, DateTimeOffset start)
    {
        private volatile bool _stopping;
        /// <summary>The two kinds of write: a single reading (false) and a batch (true).</summary>
        private static readonly bool[] Kinds = [false, true];
        private readonly ConcurrentDictionary<(bool Batch, HttpStatusCode Status), ConcurrentBag<int>> _answers = new();
        private int _sent;
        private int _inFlight;

        public ConcurrentBag<Reading> Acknowledged { get; } = [];

        public ConcurrentBag<Reading[]> Batches { get; } = [];

        /// <summary>How many writes have been sent so far; each is numbered in the order it was sent.</summary>
        public int Sent => Volatile.Read(ref _sent);

        public int InFlight => Volatile.Read(ref _inFlight);

        private Task _sending = Task.CompletedTask;

        public void Start() => _sending = Task.WhenAll(
            Enumerable.Range(0, SingleWriters).Select(w => Task.Run(() => SendAsync($"single-{w}", 1)))
                .Concat(Enumerable.Range(0, BatchWriters).Select(w => Task.Run(() => SendAsync($"batch-{w}", BatchSize)))));

        /// <summary>Until writes of both kinds, sent after number <paramref name="since"/>, have had <paramref name="status"/>.</summary>
        public Task UntilEachKindAsync(HttpStatusCode status, string what, int since = 0) =>
            Eventually.Async(
                async () =>
                {
                    // A writer's failed assertion is the test's failure, not a wait until the limit.
                    if (_sending.IsFaulted)
                    {
                        await _sending;
                    }

                    return Kinds.All(batch => _answers.TryGetValue((batch, status), out var sent) && sent.Any(n => n > since));
                },
                Recovery,
                $"single readings and batches were not all {what} ({status}).");

        public async Task StopAsync()
        {
            _stopping = true;
            await _sending;
        }

        private async Task SendAsync(string sensor, int size)
        {
            for (var i = 0; !_stopping; i++)
            {
                // One millisecond per request keeps every timestamp well within the clock skew the API allows.
                var readings = Enumerable.Range(0, size)
                    .Select(r => new Reading($"{sensor}-{r}", start.AddMilliseconds(i), 20 + (r % 10)))
                    .ToArray();
                var json = size == 1
                    ? readings[0].ToJson(runId)
                    : new JsonObject { ["readings"] = new JsonArray([.. readings.Select(r => r.ToJson(runId))]) };
                if (size > 1)
                {
                    Batches.Add(readings);
                }

                var number = Interlocked.Increment(ref _sent);
                var watch = Stopwatch.StartNew();
                Interlocked.Increment(ref _inFlight);
                using var response = await client.Post("/api/sensors/data", "alice", json.ToJsonString());
                Interlocked.Decrement(ref _inFlight);
                Assert.True(watch.Elapsed < QuickAnswer, $"A write took {watch.Elapsed} to be answered.");
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    readings.ToList().ForEach(Acknowledged.Add);
                }
                else
                {
                    await response.AssertProblem(HttpStatusCode.ServiceUnavailable, "unavailable");
                }

                _answers.GetOrAdd((size > 1, response.StatusCode), _ => []).Add(number);
            }
        }
    }
}

public sealed class ContainerStoreOutage(OutageThroughPrism<ContainerOutageBackend> backend) : StoreOutageContract(backend), IClassFixture<OutageThroughPrism<ContainerOutageBackend>>;
public sealed class ServerlessStoreOutage(OutageThroughPrism<ServerlessOutageBackend> backend) : StoreOutageContract(backend), IClassFixture<OutageThroughPrism<ServerlessOutageBackend>>;
