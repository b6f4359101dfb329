using IotPlayground.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IotPlayground.Domain.Tests.Services;

/// <summary>The run service's rules on a store configured with its quota.</summary>
public sealed class RunServiceOnAStore
{
    private static readonly StartRunInput AMinute = new(60, 5, null);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordedMetrics _metrics = new();

    [Fact]
    public async Task TheQuotaIsTheStoresOwn()
    {
        var runs = Service(new InMemoryStores(maxRunning: 2));
        await StartAsync(runs, "alice");
        await StartAsync(runs, "bob");

        var refused = await runs.StartAsync("carol", AMinute, CancellationToken.None);

        Assert.Equal(ErrorCode.QuotaExceeded, refused.Error!.Code);
        Assert.StartsWith("2 runs are already running", refused.Error.Detail, StringComparison.Ordinal);
        Assert.Equal(new QuotaStatus(false, 2, 2), await runs.CanStartAsync(CancellationToken.None));
        Assert.Equal(2, _metrics.Started.Count);
    }

    [Fact]
    public async Task OnlyTheOwnerFinishesARunAndOnlyOnce()
    {
        var stores = new InMemoryStores();
        var runs = Service(stores);
        var run = await StartAsync(runs, "alice");
        _clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(ErrorCode.NotOwner, (await runs.FinishAsync("bob", run.Id.ToString(), CancellationToken.None)).Error!.Code);
        var finished = await runs.FinishAsync("alice", run.Id.ToString(), CancellationToken.None);
        var again = await runs.FinishAsync("alice", run.Id.ToString(), CancellationToken.None);

        Assert.Equal((RunStatus.Completed, EndReason.Finished, _clock.GetUtcNow()), (finished.Value!.Status, finished.Value.EndReason, finished.Value.FinishedAt));
        Assert.Equal(ErrorCode.RunNotRunning, again.Error!.Code);
        Assert.Equal(finished.Value, await stores.Runs.FindAsync(run.Id, CancellationToken.None));
        Assert.Single(_metrics.Ended);
    }

    [Fact]
    public async Task InterruptAllEndsEveryRunningRunOfEveryUser()
    {
        var stores = new InMemoryStores();
        var runs = Service(stores);
        var started = new[] { await StartAsync(runs, "alice"), await StartAsync(runs, "bob") };

        var interrupted = await runs.InterruptAllAsync("carol", CancellationToken.None);

        Assert.Equal(2, interrupted.Value);
        foreach (var run in started)
        {
            Assert.Equal(EndReason.Interrupted, (await stores.Runs.FindAsync(run.Id, CancellationToken.None))!.EndReason);
        }

        Assert.Equal(new QuotaStatus(true, 0, RunRules.MaxRunning), await runs.CanStartAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AnInvalidStartStoresNothing()
    {
        var stores = new InMemoryStores();
        var runs = Service(stores);

        Assert.Equal(ErrorCode.InvalidUser, (await runs.StartAsync("not a user!", AMinute, CancellationToken.None)).Error!.Code);
        Assert.Equal(ErrorCode.ValidationFailed, (await runs.StartAsync("alice", new StartRunInput(0, 5, null), CancellationToken.None)).Error!.Code);

        Assert.Empty(await stores.Runs.ListNewestAsync(10, null, CancellationToken.None));
        Assert.Empty(_metrics.Started);
    }

    [Fact]
    public async Task PagesOfRunsFollowTheirCursorsNewestFirst()
    {
        var runs = Service(new InMemoryStores(maxRunning: 10));
        var started = new List<Run>();
        for (var i = 0; i < 5; i++)
        {
            started.Add(await StartAsync(runs, "alice"));
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await runs.ListAsync("3", null, CancellationToken.None);
        var second = await runs.ListAsync("3", first.Value!.NextCursor, CancellationToken.None);

        Assert.Equal(
            started.AsEnumerable().Reverse().Select(r => r.Id),
            first.Value.Items.Concat(second.Value!.Items).Select(r => r.Id));
        Assert.Null(second.Value.NextCursor);
    }

    [Fact]
    public async Task AnUnreachableStoreIsAnOutageNotAnAnswer()
    {
        var stores = new InMemoryStores { Unreachable = true };
        var runs = Service(stores);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => runs.StartAsync("alice", AMinute, CancellationToken.None));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => runs.CanStartAsync(CancellationToken.None));

        stores.Unreachable = false;
        Assert.Empty(await stores.Runs.ListNewestAsync(10, null, CancellationToken.None));
        Assert.Empty(_metrics.Started);
    }

    private RunService Service(InMemoryStores stores) => new(stores.Runs, _clock, _metrics);

    private static async Task<Run> StartAsync(RunService runs, string user)
    {
        var started = await runs.StartAsync(user, AMinute, CancellationToken.None);
        return started.Value ?? throw new InvalidOperationException($"The start was refused: {started.Error}");
    }
}
