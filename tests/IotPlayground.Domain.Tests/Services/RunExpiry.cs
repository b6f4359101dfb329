using IotPlayground.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IotPlayground.Domain.Tests.Services;

/// <summary>
/// An overdue run is closed two ways: lazily, by the first read that meets it, and by the periodic sweep when nobody
/// reads it. A fake clock lets each be seen alone: time passes, and the store shows who closed the run.
/// </summary>
public sealed class RunExpiry
{
    private const int Duration = 60;
    private const int Interval = 5;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly InMemoryStores _stores = new();
    private readonly RecordedMetrics _metrics = new();
    private readonly RunService _runs;

    public RunExpiry() => _runs = new RunService(_stores.Runs, _clock, _metrics);

    [Fact]
    public async Task TimePassingAloneClosesNoRun()
    {
        var run = await StartAsync();

        _clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(RunStatus.Running, (await StoredAsync(run)).Status);
        Assert.Empty(_metrics.Ended);
    }

    [Fact]
    public async Task AReadClosesAnOverdueRunInTheStoreAtItsDeadline()
    {
        var run = await StartAsync();
        _clock.Advance(run.Deadline - _clock.GetUtcNow() + TimeSpan.FromMilliseconds(1));

        var read = await _runs.GetAsync(new RunId(run.Id), CancellationToken.None);

        Assert.Equal(RunStatus.Completed, read.Value!.Status);
        Assert.Equal(EndReason.Expired, read.Value.EndReason);
        Assert.Equal(run.Deadline, read.Value.FinishedAt);
        Assert.Equal(read.Value, await StoredAsync(run));
        Assert.Equal([run.Id], _metrics.Ended.Select(r => r.Id));
    }

    [Fact]
    public async Task AReadAtTheDeadlineItselfLeavesTheRunRunning()
    {
        var run = await StartAsync();
        _clock.Advance(run.Deadline - _clock.GetUtcNow());

        var read = await _runs.GetAsync(new RunId(run.Id), CancellationToken.None);

        Assert.Equal(RunStatus.Running, read.Value!.Status);
        Assert.Equal(RunStatus.Running, (await StoredAsync(run)).Status);
    }

    [Fact]
    public async Task APageShowsAnOverdueRunExpiredButLeavesItsClosingToTheSweep()
    {
        var run = await StartAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));

        var page = await _runs.ListAsync(new PageRequest<RunCursor>(RunService.DefaultPageSize, null), CancellationToken.None);

        Assert.Equal(EndReason.Expired, Assert.Single(page.Items).EndReason);
        Assert.Equal(RunStatus.Running, (await StoredAsync(run)).Status);
        Assert.Empty(_metrics.Ended);
    }

    [Fact]
    public async Task TheSweepClosesOverdueRunsThatNobodyReadsAndNoOtherRun()
    {
        var overdue = await StartAsync();
        _clock.Advance(TimeSpan.FromSeconds(Duration));
        var live = await StartAsync();
        _clock.Advance(overdue.Deadline - _clock.GetUtcNow() + TimeSpan.FromSeconds(1));

        Assert.Equal(1, await _runs.SweepAsync(CancellationToken.None));

        var closed = await StoredAsync(overdue);
        Assert.Equal((RunStatus.Completed, EndReason.Expired, overdue.Deadline), (closed.Status, closed.EndReason, closed.FinishedAt));
        Assert.Equal(RunStatus.Running, (await StoredAsync(live)).Status);
        Assert.Equal([overdue.Id], _metrics.Ended.Select(r => r.Id));
    }

    [Fact]
    public async Task ARunTheSweepClosedIsNotClosedAgainByAReader()
    {
        var run = await StartAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));
        await _runs.SweepAsync(CancellationToken.None);

        var read = await _runs.GetAsync(new RunId(run.Id), CancellationToken.None);

        Assert.Equal(EndReason.Expired, read.Value!.EndReason);
        Assert.Single(_metrics.Ended);
    }

    [Fact]
    public async Task AnOverdueRunGivesItsSlotBackToANewStart()
    {
        var stores = new InMemoryStores(maxRunning: 1);
        var runs = new RunService(stores.Runs, _clock, _metrics);
        Assert.True((await runs.StartAsync(Users.Named("alice"), new RunRequest(Duration, Interval, RunParams.Default), CancellationToken.None)).Succeeded);
        Assert.False((await runs.StartAsync(Users.Named("bob"), new RunRequest(Duration, Interval, RunParams.Default), CancellationToken.None)).Succeeded);

        _clock.Advance(TimeSpan.FromSeconds(Duration) + RunRules.GraceFor(Interval) + TimeSpan.FromMilliseconds(1));

        Assert.True((await runs.StartAsync(Users.Named("bob"), new RunRequest(Duration, Interval, RunParams.Default), CancellationToken.None)).Succeeded);
    }

    private async Task<Run> StartAsync()
    {
        var started = await _runs.StartAsync(Users.Named("alice"), new RunRequest(Duration, Interval, RunParams.Default), CancellationToken.None);
        return started.Value ?? throw new InvalidOperationException($"The start was refused: {started.Error}");
    }

    private async Task<Run> StoredAsync(Run run) => (await _stores.Runs.FindAsync(run.Id, CancellationToken.None))!;
}
