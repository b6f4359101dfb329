using IotPlayground.Domain;

namespace IotPlayground.Stores.Tests;

/// <summary>What every <see cref="IRunStore"/> promises; one sealed subclass per implementation.</summary>
public abstract class RunStoreConformance(IStoreFactory factory)
{
    private static readonly DateTimeOffset Now = Timestamps.Truncate(DateTimeOffset.UtcNow);

    [Fact]
    public async Task AStoreReportsTheQuotaItWasConfiguredWith()
    {
        await using var stores = await factory.CreateAsync(maxRunning: 3);

        Assert.Equal(3, stores.Runs.MaxRunning);
    }

    [Fact]
    public async Task ConcurrentStartsNeverExceedTheQuota()
    {
        const int quota = 3;
        await using var stores = await factory.CreateAsync(quota);
        var runs = Enumerable.Range(0, 24).Select(_ => NewRun(Now)).ToList();

        var started = await Task.WhenAll(runs.Select(run => Task.Run(() => stores.Runs.TryStartAsync(run, Now, CancellationToken.None))));

        Assert.Equal(quota, started.Count(s => s));
        var running = await stores.Runs.ListRunningAsync(CancellationToken.None);
        Assert.Equal(
            runs.Where((_, i) => started[i]).Select(r => r.Id).Order(),
            running.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task AStartBeyondTheQuotaIsRefusedAndNotStored()
    {
        await using var stores = await factory.CreateAsync(maxRunning: 2);
        Assert.True(await stores.Runs.TryStartAsync(NewRun(Now), Now, CancellationToken.None));
        Assert.True(await stores.Runs.TryStartAsync(NewRun(Now), Now, CancellationToken.None));
        var refused = NewRun(Now);

        Assert.False(await stores.Runs.TryStartAsync(refused, Now, CancellationToken.None));

        Assert.Null(await stores.Runs.FindAsync(refused.Id, CancellationToken.None));
    }

    [Fact]
    public async Task AnEndedRunFreesItsSlot()
    {
        await using var stores = await factory.CreateAsync(maxRunning: 1);
        var first = NewRun(Now);
        Assert.True(await stores.Runs.TryStartAsync(first, Now, CancellationToken.None));
        Assert.False(await stores.Runs.TryStartAsync(NewRun(Now), Now, CancellationToken.None));

        Assert.True(await stores.Runs.TryEndAsync(first.End(RunStatus.Completed, EndReason.Finished, Now), CancellationToken.None));

        Assert.True(await stores.Runs.TryStartAsync(NewRun(Now), Now, CancellationToken.None));
    }

    [Fact]
    public async Task ARunPastItsDeadlineHoldsNoSlotWhileOneWithinItsGraceStillDoes()
    {
        await using var stores = await factory.CreateAsync(maxRunning: 1);
        var abandoned = NewRun(Now.AddHours(-1), duration: 60, interval: 5);
        Assert.True(await stores.Runs.TryStartAsync(abandoned, abandoned.StartedAt, CancellationToken.None));

        // Within its grace (deadline = start + 60 s + 10 s) the run still holds the one slot; past it, it holds none.
        Assert.False(await stores.Runs.TryStartAsync(NewRun(Now), abandoned.Deadline, CancellationToken.None));
        Assert.True(await stores.Runs.TryStartAsync(NewRun(Now), abandoned.Deadline.AddMilliseconds(1), CancellationToken.None));
    }

    [Fact]
    public async Task ARunReadsBackAsItWasStored()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = NewRun(Now, duration: 600, interval: 3) with { Params = new RunParams(4, [Measure.Temperature, Measure.Pressure]) };
        Assert.True(await stores.Runs.TryStartAsync(run, Now, CancellationToken.None));

        Assert.Equal(run, await stores.Runs.FindAsync(run.Id, CancellationToken.None));
        Assert.Null(await stores.Runs.FindAsync(Guid.NewGuid(), CancellationToken.None));
    }

    [Fact]
    public async Task ARunEndsOnceAndKeepsItsFirstEnd()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var run = NewRun(Now);
        Assert.True(await stores.Runs.TryStartAsync(run, Now, CancellationToken.None));
        var finished = run.End(RunStatus.Completed, EndReason.Finished, Now.AddSeconds(5));

        Assert.True(await stores.Runs.TryEndAsync(finished, CancellationToken.None));
        Assert.False(await stores.Runs.TryEndAsync(finished, CancellationToken.None));
        Assert.False(await stores.Runs.TryEndAsync(run.End(RunStatus.Interrupted, EndReason.Interrupted, Now.AddSeconds(9)), CancellationToken.None));

        Assert.Equal(finished, await stores.Runs.FindAsync(run.Id, CancellationToken.None));
        Assert.Empty(await stores.Runs.ListRunningAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ARunThatWasNeverStoredDoesNotEnd()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var ghost = NewRun(Now).End(RunStatus.Completed, EndReason.Finished, Now);

        Assert.False(await stores.Runs.TryEndAsync(ghost, CancellationToken.None));
        Assert.Null(await stores.Runs.FindAsync(ghost.Id, CancellationToken.None));
    }

    [Fact]
    public async Task TheRunningListHoldsEveryRunningRunOverdueOnesIncludedAndNoEndedOne()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);
        var live = NewRun(Now);
        var overdue = NewRun(Now.AddHours(-2), duration: 60, interval: 5);
        var ended = NewRun(Now);
        foreach (var run in new[] { live, overdue, ended })
        {
            Assert.True(await stores.Runs.TryStartAsync(run, run.StartedAt, CancellationToken.None));
        }

        Assert.True(await stores.Runs.TryEndAsync(ended.End(RunStatus.Interrupted, EndReason.Interrupted, Now), CancellationToken.None));

        var running = await stores.Runs.ListRunningAsync(CancellationToken.None);
        Assert.Equal(new[] { live.Id, overdue.Id }.Order(), running.Select(r => r.Id).Order());
    }

    [Fact]
    public async Task PagesOfTheNewestRunsFollowEachOtherByKeysetNewestFirst()
    {
        await using var stores = await factory.CreateAsync(maxRunning: 10);
        // Two pairs share a start instant: the id, descending, orders them.
        var starts = new[] { -9, -8, -8, -5, -4, -4, -3, -1 }.Select(s => Now.AddSeconds(s));
        var runs = starts.Select(start => NewRun(start)).ToList();
        foreach (var run in runs)
        {
            Assert.True(await stores.Runs.TryStartAsync(run, Now, CancellationToken.None));
        }

        var expected = runs.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.Id).Select(r => r.Id).ToList();
        var pages = new List<IReadOnlyList<Run>>();
        RunCursor? after = null;
        do
        {
            var page = await stores.Runs.ListNewestAsync(3, after, CancellationToken.None);
            pages.Add(page);
            after = page.Count == 3 ? new RunCursor(page[^1].StartedAt, page[^1].Id) : null;
        }
        while (after is not null);

        Assert.Equal([3, 3, 2], pages.Select(p => p.Count));
        Assert.Equal(expected, pages.SelectMany(p => p).Select(r => r.Id));
    }

    [Fact]
    public async Task TheNewestRunsAreCutAtTheLimit()
    {
        await using var stores = await factory.CreateAsync(maxRunning: 10);
        var runs = Enumerable.Range(0, 6).Select(i => NewRun(Now.AddSeconds(-i))).ToList();
        foreach (var run in runs)
        {
            Assert.True(await stores.Runs.TryStartAsync(run, Now, CancellationToken.None));
        }

        var newest = await stores.Runs.ListNewestAsync(4, null, CancellationToken.None);

        Assert.Equal(runs.Take(4).Select(r => r.Id), newest.Select(r => r.Id));
    }

    [Fact]
    public async Task AStoreWithNoQuotaTakesEveryStart()
    {
        await using var stores = await factory.CreateAsync(RunRules.NoQuota);
        var runs = Enumerable.Range(0, RunRules.MaxRunning * 3).Select(_ => NewRun(Now)).ToList();

        foreach (var run in runs)
        {
            Assert.True(await stores.Runs.TryStartAsync(run, Now, CancellationToken.None));
        }

        Assert.Equal(runs.Count, (await stores.Runs.ListNewestAsync(100, null, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task AnUnreachableStoreSaysSoOnEveryCallAndItsProbeToo()
    {
        await using var stores = await factory.CreateUnreachableAsync();
        var run = NewRun(Now);
        var calls = new Func<Task>[]
        {
            () => stores.Probe.CheckReachableAsync(CancellationToken.None),
            () => stores.Runs.TryStartAsync(run, Now, CancellationToken.None),
            () => stores.Runs.FindAsync(run.Id, CancellationToken.None),
            () => stores.Runs.ListRunningAsync(CancellationToken.None),
            () => stores.Runs.TryEndAsync(run.End(RunStatus.Completed, EndReason.Finished, Now), CancellationToken.None),
            () => stores.Runs.ListNewestAsync(10, null, CancellationToken.None),
            () => stores.Readings.TryAddAsync([new SensorReading(run.Id, "s1", Now, 20, null, null)], Now, CancellationToken.None),
            () => stores.Readings.QueryAsync(new ReadingQuery(run.Id, null, null, null, null), 10, CancellationToken.None),
        };

        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(call);
        }
    }

    [Fact]
    public async Task TheProbeAnswersWhileTheStoreIsReachable()
    {
        await using var stores = await factory.CreateAsync(RunRules.MaxRunning);

        await stores.Probe.CheckReachableAsync(CancellationToken.None);
    }

    internal static Run NewRun(DateTimeOffset startedAt, int duration = 3_600, int interval = 5) =>
        Run.Start(Guid.NewGuid(), "conformance", startedAt, new RunRequest(duration, interval, RunParams.Default));
}
