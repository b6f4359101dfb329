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
        _sensors = new SensorDataService(_stores.Runs, _stores.Readings, _runs, _metrics);
    }

    [Fact]
    public async Task AReadingForARunningRunIsStoredAndCounted()
    {
        var run = await StartAsync();
        _clock.Advance(TimeSpan.FromSeconds(7));

        var stored = await _sensors.IngestAsync(Received(Reading(run, "s1")), CancellationToken.None);

        Assert.Equal(_clock.GetUtcNow(), Assert.Single(stored.Value!).Timestamp);
        Assert.Equal(stored.Value, await AllReadingsAsync(run));
        Assert.Single(_metrics.Ingested);
    }

    [Fact]
    public async Task ABatchWithOneReadingOfAnUnknownRunStoresNone()
    {
        var run = await StartAsync();
        var batch = Received(Reading(run, "s1"), Reading(run, "s2") with { RunId = Guid.NewGuid() }, Reading(run, "s3"));

        var refused = await _sensors.IngestAsync(batch, CancellationToken.None);

        Assert.Equal(ErrorCode.RunNotFound, refused.Error!.Code);
        Assert.Empty(await AllReadingsAsync(run));
        Assert.Empty(_metrics.Ingested);
    }

    [Fact]
    public async Task AReadingForARunPastItsDeadlineIsRefusedAndClosesTheRun()
    {
        var run = await StartAsync();
        _clock.Advance(run.Deadline - _clock.GetUtcNow() + TimeSpan.FromSeconds(1));

        var refused = await _sensors.IngestAsync(Received(Reading(run, "s1")), CancellationToken.None);

        Assert.Equal(ErrorCode.RunNotRunning, refused.Error!.Code);
        Assert.Empty(await AllReadingsAsync(run));
        Assert.Equal(EndReason.Expired, (await _stores.Runs.FindAsync(run.Id, CancellationToken.None))!.EndReason);
    }

    [Fact]
    public async Task ABatchSpanningARunningAndAFinishedRunIsRunNotRunningAndStoresNothing()
    {
        var running = await StartAsync();
        var finished = await StartAsync();
        Assert.True((await _runs.FinishAsync(Users.Named("alice"), new RunId(finished.Id), CancellationToken.None)).Succeeded);

        var refused = await _sensors.IngestAsync(Received(Reading(running, "s1"), Reading(finished, "s1")), CancellationToken.None);

        Assert.Equal(ErrorCode.RunNotRunning, refused.Error!.Code);
        Assert.Empty(await AllReadingsAsync(running));
        Assert.Empty(_metrics.Ingested);
    }

    [Fact]
    public async Task AReadingFromBeforeItsRunStartedLessTheSkewIsInvalidAndStoresNothing()
    {
        var run = await StartAsync();
        var early = Reading(run, "s2") with { Timestamp = run.EarliestReading.AddMilliseconds(-1) };

        var refused = await _sensors.IngestAsync(Received(Reading(run, "s1"), early), CancellationToken.None);

        Assert.Equal(ErrorCode.ValidationFailed, refused.Error!.Code);
        Assert.Empty(await AllReadingsAsync(run));
    }

    [Fact]
    public async Task AReadingForAnUnknownRunIsRunNotFound()
    {
        var refused = await _sensors.IngestAsync(
            Received(new SensorReading(Guid.NewGuid(), "s1", _clock.GetUtcNow(), 20, null, null)), CancellationToken.None);

        Assert.Equal(ErrorCode.RunNotFound, refused.Error!.Code);
    }

    [Fact]
    public async Task QueriedPagesFollowTheirCursorsWithEveryReadingOnce()
    {
        var run = await StartAsync();
        var sent = Enumerable.Range(0, 7)
            .Select(i => Reading(run, $"s{i % 2}") with { Timestamp = _clock.GetUtcNow().AddSeconds(i / 2) })
            .ToArray();
        _clock.Advance(TimeSpan.FromSeconds(4));
        Assert.True((await _sensors.IngestAsync(Received(sent), CancellationToken.None)).Succeeded);

        var pages = new List<Page<SensorReading>>();
        ReadingCursor? after = null;
        do
        {
            var page = await _sensors.QueryAsync(new ReadingQuery(run.Id, null, null, null, after), 3, CancellationToken.None);
            pages.Add(page.Value!);
            after = page.Value!.NextCursor is { } next && ReadingCursor.TryDecode(next, out var cursor) ? cursor : null;
        }
        while (after is not null);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Items.Count));
        Assert.Equal(
            sent.Select(r => (r.Timestamp, r.SensorId)).OrderBy(k => k.Timestamp).ThenBy(k => k.SensorId, StringComparer.Ordinal),
            pages.SelectMany(p => p.Items).Select(r => (r.Timestamp, r.SensorId)));
    }

    private async Task<Run> StartAsync()
    {
        var started = await _runs.StartAsync(Users.Named("alice"), new RunRequest(60, 5, RunParams.Default), CancellationToken.None);
        return started.Value ?? throw new InvalidOperationException($"The start was refused: {started.Error}");
    }

    private SensorReading Reading(Run run, string sensorId) => new(run.Id, sensorId, _clock.GetUtcNow(), 21.5, 40, null);

    private ReceivedReadings Received(params SensorReading[] readings) => new(readings, _clock.GetUtcNow());

    private async Task<IReadOnlyList<SensorReading>> AllReadingsAsync(Run run) =>
        (await _stores.Readings.QueryAsync(new ReadingQuery(run.Id, null, null, null, null), 100, CancellationToken.None)).Readings;
}
