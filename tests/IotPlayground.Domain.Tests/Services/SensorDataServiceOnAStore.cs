using IotPlayground.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IotPlayground.Domain.Tests.Services;

/// <summary>Ingestion and queries on the in-memory stores, with a clock the test moves.</summary>
public sealed class SensorDataServiceOnAStore
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryStores _stores = new();
    private readonly RecordedMetrics _metrics = new();
    private readonly RunService _runs;
    private readonly SensorDataService _sensors;

    public SensorDataServiceOnAStore()
    {
        _runs = new RunService(_stores.Runs, _clock, _metrics);
        _sensors = new SensorDataService(_stores.Runs, _stores.Readings, _runs, _clock, _metrics);
    }

    [Fact]
    public async Task AReadingWithoutATimestampIsStoredAtTheServersTime()
    {
        var run = await StartAsync();
        _clock.Advance(TimeSpan.FromSeconds(7));

        var stored = await _sensors.IngestAsync("alice", [Reading(run, "s1")], isBatch: false, CancellationToken.None);

        Assert.Equal(_clock.GetUtcNow(), Assert.Single(stored.Value!).Timestamp);
        Assert.Equal(stored.Value, await AllReadingsAsync(run));
    }

    [Fact]
    public async Task ABatchWithOneInvalidReadingStoresNone()
    {
        var run = await StartAsync();
        var batch = new[] { Reading(run, "s1"), Reading(run, "s2") with { Temperature = 500 }, Reading(run, "s3") };

        var refused = await _sensors.IngestAsync("alice", batch, isBatch: true, CancellationToken.None);

        Assert.Equal(ErrorCode.ValidationFailed, refused.Error!.Code);
        Assert.Contains("readings[1].temperature", refused.Error.Errors!.Keys);
        Assert.Empty(await AllReadingsAsync(run));
        Assert.Empty(_metrics.Ingested);
    }

    [Fact]
    public async Task AReadingForARunPastItsDeadlineIsRefusedAndClosesTheRun()
    {
        var run = await StartAsync();
        _clock.Advance(run.Deadline - _clock.GetUtcNow() + TimeSpan.FromSeconds(1));

        var refused = await _sensors.IngestAsync("alice", [Reading(run, "s1")], isBatch: false, CancellationToken.None);

        Assert.Equal(ErrorCode.RunNotRunning, refused.Error!.Code);
        Assert.Empty(await AllReadingsAsync(run));
        Assert.Equal(EndReason.Expired, (await _stores.Runs.FindAsync(run.Id, CancellationToken.None))!.EndReason);
    }

    [Fact]
    public async Task AReadingForAnUnknownRunIsRunNotFound()
    {
        var refused = await _sensors.IngestAsync(
            "alice", [new ReadingInput(Guid.NewGuid().ToString(), "s1", null, 20, null, null)], isBatch: false, CancellationToken.None);

        Assert.Equal(ErrorCode.RunNotFound, refused.Error!.Code);
    }

    [Fact]
    public async Task QueriedPagesFollowTheirCursorsWithEveryReadingOnce()
    {
        var run = await StartAsync();
        var sent = Enumerable.Range(0, 7)
            .Select(i => Reading(run, $"s{i % 2}") with { Timestamp = _clock.GetUtcNow().AddSeconds(i / 2) })
            .ToArray();
        Assert.True((await _sensors.IngestAsync("alice", sent, isBatch: true, CancellationToken.None)).Succeeded);

        var pages = new List<Page<SensorReading>>();
        string? cursor = null;
        do
        {
            var page = await _sensors.QueryAsync(run.Id.ToString(), null, null, null, "3", cursor, CancellationToken.None);
            pages.Add(page.Value!);
            cursor = page.Value!.NextCursor;
        }
        while (cursor is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Items.Count));
        Assert.Equal(
            sent.Select(r => (r.Timestamp!.Value, r.SensorId!)).OrderBy(k => k.Value).ThenBy(k => k.Item2, StringComparer.Ordinal),
            pages.SelectMany(p => p.Items).Select(r => (r.Timestamp, r.SensorId)));
    }

    private async Task<Run> StartAsync()
    {
        var started = await _runs.StartAsync("alice", new StartRunInput(60, 5, null), CancellationToken.None);
        return started.Value ?? throw new InvalidOperationException($"The start was refused: {started.Error}");
    }

    private static ReadingInput Reading(Run run, string sensorId) => new(run.Id.ToString(), sensorId, null, 21.5, 40, null);

    private async Task<IReadOnlyList<SensorReading>> AllReadingsAsync(Run run) =>
        (await _stores.Readings.QueryAsync(new ReadingQuery(run.Id, null, null, null, null), 100, CancellationToken.None)).Readings;
}
