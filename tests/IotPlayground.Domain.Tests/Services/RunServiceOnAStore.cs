using IotPlayground.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IotPlayground.Domain.Tests.Services;

/// <summary>The run service's rules on a store configured with its quota.</summary>
public sealed class RunServiceOnAStore
{
    private static readonly RunRequest AMinute = new(60, 5, RunParams.Default);

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly RecordedMetrics _metrics = new();

    [Fact]
    public async Task TheQuotaIsTheStoresOwn()
    {
        var runs = Service(new InMemoryStores(maxRunning: 2));
        await StartAsync(runs, "alice");
        await StartAsync(runs, "bob");

        var refused = await runs.StartAsync(Users.Named("carol"), AMinute, CancellationToken.None);

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

        Assert.Equal(ErrorCode.NotOwner, (await runs.FinishAsync(Users.Named("bob"), new RunId(run.Id), CancellationToken.None)).Error!.Code);
        var finished = await runs.FinishAsync(Users.Named("alice"), new RunId(run.Id), CancellationToken.None);
        var again = await runs.FinishAsync(Users.Named("alice"), new RunId(run.Id), CancellationToken.None);

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

        var interrupted = await runs.InterruptAllAsync(Users.Named("carol"), CancellationToken.None);

        Assert.Equal(2, interrupted);
        foreach (var run in started)
        {
            Assert.Equal(EndReason.Interrupted, (await stores.Runs.FindAsync(run.Id, CancellationToken.None))!.EndReason);
        }

        Assert.Equal(new QuotaStatus(true, 0, RunRules.MaxRunning), await runs.CanStartAsync(CancellationToken.None));
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

        var first = await runs.ListAsync(new PageRequest<RunCursor>(3, null), CancellationToken.None);
        Assert.True(RunCursor.TryDecode(first.NextCursor!, out var after));
        var second = await runs.ListAsync(new PageRequest<RunCursor>(3, after), CancellationToken.None);

        Assert.Equal(
            started.AsEnumerable().Reverse().Select(r => r.Id),
            first.Items.Concat(second.Items).Select(r => r.Id));
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task AnUnreachableStoreIsAnOutageNotAnAnswer()
    {
        var stores = new InMemoryStores { Unreachable = true };
        var runs = Service(stores);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => runs.StartAsync(Users.Named("alice"), AMinute, CancellationToken.None));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => runs.CanStartAsync(CancellationToken.None));

        stores.Unreachable = false;
        Assert.Empty(await stores.Runs.ListNewestAsync(10, null, CancellationToken.None));
        Assert.Empty(_metrics.Started);
    }

    private RunService Service(InMemoryStores stores) => new(stores.Runs, _clock, _metrics);

    private static async Task<Run> StartAsync(RunService runs, string user)
    {
        var started = await runs.StartAsync(Users.Named(user), AMinute, CancellationToken.None);
        return started.Value ?? throw new InvalidOperationException($"The start was refused: {started.Error}");
    }
}
