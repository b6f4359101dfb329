using System.Globalization;

namespace IotPlayground.Domain;

/// <summary>The run business logic, the same behind the container API and the Lambda functions.</summary>
public sealed class RunService(IRunStore store, TimeProvider clock, IRunMetrics metrics)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxAllRuns = 1_000;

    public async Task<QuotaStatus> CanStartAsync(CancellationToken cancellationToken)
    {
        var running = await RunningAsync(cancellationToken).ConfigureAwait(false);
        return new QuotaStatus(running.Count < store.MaxRunning, running.Count, store.MaxRunning);
    }

    public async Task<Outcome<Run>> StartAsync(UserName user, RunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var run = Run.Start(Guid.NewGuid(), user.Value, now, request);
        if (!await store.TryStartAsync(run, now, cancellationToken).ConfigureAwait(false))
        {
            return new DomainError(
                ErrorCode.QuotaExceeded,
                string.Create(CultureInfo.InvariantCulture, $"{store.MaxRunning} runs are already running; finish one or wait for one to end."));
        }

        metrics.RunStarted(run);
        return run;
    }

    /// <summary>Every user's RUNNING runs, oldest first; overdue ones are closed on the way.</summary>
    public async Task<IReadOnlyList<Run>> RunningAsync(CancellationToken cancellationToken)
    {
        var running = await store.ListRunningAsync(cancellationToken).ConfigureAwait(false);
        var live = new List<Run>(running.Count);
        foreach (var run in running)
        {
            var settled = await SettleAsync(run, cancellationToken).ConfigureAwait(false);
            if (settled.Status == RunStatus.Running)
            {
                live.Add(settled);
            }
        }

        return live.OrderBy(r => r.StartedAt).ThenBy(r => r.Id).ToList();
    }

    public async Task<Outcome<Run>> FinishAsync(UserName user, RunId id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var found = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (found.Error is not null)
        {
            return found;
        }

        var run = found.Value!;
        if (run.Username != user.Value)
        {
            return new DomainError(ErrorCode.NotOwner, $"Run {run.Id} belongs to another user; only its owner may finish it.");
        }

        var finished = run.End(RunStatus.Completed, EndReason.Finished, clock.GetUtcNow());
        if (run.Status != RunStatus.Running || !await store.TryEndAsync(finished, cancellationToken).ConfigureAwait(false))
        {
            return NotRunning(run.Id);
        }

        metrics.RunEnded(finished);
        return finished;
    }

    /// <summary>Interrupts every running run: any caller who names itself may, not only the runs' owners.</summary>
    public async Task<int> InterruptAllAsync(UserName user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var interrupted = 0;
        foreach (var run in await RunningAsync(cancellationToken).ConfigureAwait(false))
        {
            var ended = run.End(RunStatus.Interrupted, EndReason.Interrupted, clock.GetUtcNow());
            if (await store.TryEndAsync(ended, cancellationToken).ConfigureAwait(false))
            {
                metrics.RunEnded(ended);
                interrupted++;
            }
        }

        return interrupted;
    }

    public async Task<Outcome<Run>> GetAsync(RunId id, CancellationToken cancellationToken)
    {
        var run = await store.FindAsync(id.Value, cancellationToken).ConfigureAwait(false);
        return run is null ? DomainError.RunNotFound(id.Value) : await SettleAsync(run, cancellationToken).ConfigureAwait(false);
    }

    public async Task<Page<Run>> ListAsync(PageRequest<RunCursor> page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var pageSize = page.Size;
        var runs = await store.ListNewestAsync(pageSize + 1, page.After, cancellationToken).ConfigureAwait(false);
        var items = runs.Take(pageSize).Select(Current).ToList();
        var next = runs.Count > pageSize ? new RunCursor(items[^1].StartedAt, items[^1].Id).Encode() : null;
        return new Page<Run>(items, next);
    }

    /// <summary>The newest <see cref="MaxAllRuns"/> runs, and whether older ones were left out.</summary>
    public async Task<(IReadOnlyList<Run> Runs, bool Truncated)> ListAllAsync(CancellationToken cancellationToken)
    {
        var runs = await store.ListNewestAsync(MaxAllRuns + 1, null, cancellationToken).ConfigureAwait(false);
        return (runs.Take(MaxAllRuns).Select(Current).ToList(), runs.Count > MaxAllRuns);
    }

    /// <summary>Closes every overdue run; the periodic sweep calls it so that quiet systems settle too.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var running = await store.ListRunningAsync(cancellationToken).ConfigureAwait(false);
        var expired = 0;
        foreach (var run in running)
        {
            if ((await SettleAsync(run, cancellationToken).ConfigureAwait(false)).Status != RunStatus.Running)
            {
                expired++;
            }
        }

        return expired;
    }

    internal static DomainError NotRunning(Guid id) => new(ErrorCode.RunNotRunning, $"Run {id} is not running.");

    /// <summary>An overdue run as it is to be seen, without writing it: for lists, whose runs the sweep closes.</summary>
    private Run Current(Run run) => run.IsOverdueAt(clock.GetUtcNow()) ? run.Expire() : run;

    /// <summary>Closes an overdue run in the store and returns it as it now stands.</summary>
    internal async Task<Run> SettleAsync(Run run, CancellationToken cancellationToken)
    {
        if (!run.IsOverdueAt(clock.GetUtcNow()))
        {
            return run;
        }

        var expired = run.Expire();
        if (await store.TryEndAsync(expired, cancellationToken).ConfigureAwait(false))
        {
            metrics.RunEnded(expired);
            return expired;
        }

        return await store.FindAsync(run.Id, cancellationToken).ConfigureAwait(false) ?? expired;
    }
}
