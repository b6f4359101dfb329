using IotPlayground.Contract;
using IotPlayground.Domain;

namespace IotPlayground.Compare;

/// <summary>What one repetition of a profile did against one backend, and the usage the backend's own counters saw.</summary>
public sealed record RepetitionResult(
    IReadOnlyList<RequestSample> Samples,
    double WallSeconds,
    int RunsStarted,
    int ReadingsAcknowledged)
{
    public MeasuredUsage Usage { get; init; } = new(new Dictionary<string, double>(), []);
}

/// <summary>
/// Drives one repetition of a profile against one backend as its users would: every run's owner starts the run, its
/// sensors send readings, its page polls what the web page polls, and the owner finishes it (or it is left to
/// expire); interrupt-all ends the repetition, so the next starts from a free quota.
/// </summary>
public sealed class WorkloadRunner(HttpClient http, TimeProvider clock)
{
    public async Task<RepetitionResult> RunAsync(WorkloadProfile profile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var recorder = new SampleRecorder(clock);
        var client = new BackendClient(http, recorder);
        var quota = await client.CanStartAsync(cancellationToken)
            ?? throw new InvalidOperationException($"The backend at {http.BaseAddress} does not answer GET /api/runs/can-start.");
        if (quota.MaxAllowed - quota.CurrentRunning < profile.Runs)
        {
            throw new InvalidOperationException(
                $"The backend at {http.BaseAddress} has {quota.CurrentRunning} of {quota.MaxAllowed} runs running; profile '{profile.Name}' needs {profile.Runs} free.");
        }

        var started = clock.GetTimestamp();
        var acknowledged = 0;
        var runs = await Task.WhenAll(Enumerable.Range(1, profile.Runs).Select(async i =>
        {
            var user = $"compare-{profile.Name}-{i}";
            var run = await client.StartAsync(user, profile, cancellationToken);
            if (run is null)
            {
                return false;
            }

            var sent = await DriveRunAsync(client, user, run, profile, cancellationToken);
            Interlocked.Add(ref acknowledged, sent);
            return true;
        }));

        await client.InterruptAllAsync($"compare-{profile.Name}", cancellationToken);
        return new RepetitionResult(recorder.Samples(), clock.GetElapsedTime(started).TotalSeconds, runs.Count(r => r), acknowledged);
    }

    /// <returns>How many readings the backend acknowledged.</returns>
    private async Task<int> DriveRunAsync(
        BackendClient client,
        string user,
        RunResource run,
        WorkloadProfile profile,
        CancellationToken cancellationToken)
    {
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // Like the web page, a run's sensors send until its start plus its duration by the backend's clock.
        var endsIn = run.StartedAt + TimeSpan.FromSeconds(run.Duration) - clock.GetUtcNow();
        sending.CancelAfter(endsIn > TimeSpan.Zero ? endsIn : TimeSpan.Zero);
        var readings = new Readings(run.Id, profile.Sensors, clock);
        var poller = PollAsync(client, run.Id, profile, sending.Token);
        var sent = profile.RequestsPerSecond is { } rate
            ? await SendAtRateAsync(client, user, readings, profile, rate, sending.Token)
            : await SendEveryIntervalAsync(client, user, readings, profile, sending.Token);
        await poller;

        if (profile.End == RunEnd.Finish)
        {
            await client.FinishAsync(user, run.Id, cancellationToken);
        }
        else
        {
            await AwaitExpiryAsync(client, run, profile, cancellationToken);
        }

        return sent;
    }

    /// <summary>Every sensor's reading each interval, cut into requests of the profile's size, sent at once as sensors do.</summary>
    private async Task<int> SendEveryIntervalAsync(
        BackendClient client,
        string user,
        Readings readings,
        WorkloadProfile profile,
        CancellationToken stop)
    {
        var sent = 0;
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(profile.IntervalSeconds), clock);
        do
        {
            var requests = readings.Next(profile.Sensors).Chunk(profile.ReadingsPerRequest);
            var answers = await Task.WhenAll(requests.Select(async batch =>
                await client.SendReadingsAsync(user, batch, CancellationToken.None) ? batch.Length : 0));
            sent += answers.Sum();
        }
        while (await Tick(ticks, stop));

        return sent;
    }

    /// <summary>Requests of the profile's size as fast as <paramref name="rate"/> a second allows, over the profile's connections.</summary>
    private async Task<int> SendAtRateAsync(
        BackendClient client,
        string user,
        Readings readings,
        WorkloadProfile profile,
        int rate,
        CancellationToken stop)
    {
        var origin = clock.GetTimestamp();
        var next = -1L;
        var senders = Enumerable.Range(0, profile.Connections).Select(async _ =>
        {
            var sent = 0;
            while (!stop.IsCancellationRequested)
            {
                var slot = Interlocked.Increment(ref next);
                var due = TimeSpan.FromSeconds((double)slot / rate) - clock.GetElapsedTime(origin);
                if (due > TimeSpan.Zero && !await Delay(due, stop))
                {
                    break;
                }

                var batch = readings.Next(profile.ReadingsPerRequest);
                if (await client.SendReadingsAsync(user, batch, CancellationToken.None))
                {
                    sent += batch.Count;
                }
            }

            return sent;
        });
        return (await Task.WhenAll(senders)).Sum();
    }

    /// <summary>What the web page asks every few seconds while its run is on screen.</summary>
    private async Task PollAsync(BackendClient client, Guid runId, WorkloadProfile profile, CancellationToken stop)
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(profile.PollEverySeconds), clock);
        while (await Tick(ticks, stop))
        {
            await Task.WhenAll(client.CanStartAsync(CancellationToken.None), client.RunningAsync(CancellationToken.None));
            await Task.WhenAll(client.ReadingsAsync(runId, CancellationToken.None), client.HistoryAsync(CancellationToken.None));
        }
    }

    /// <summary>Polls the run until the backend closes it past its deadline (lazily on a read, or by its sweep).</summary>
    private async Task AwaitExpiryAsync(BackendClient client, RunResource run, WorkloadProfile profile, CancellationToken cancellationToken)
    {
        var giveUpAt = RunRules.DeadlineOf(run.StartedAt, run.Duration, run.Interval) + TimeSpan.FromSeconds(30);
        using var ticks = new PeriodicTimer(TimeSpan.FromSeconds(profile.PollEverySeconds), clock);
        while (clock.GetUtcNow() < giveUpAt && await ticks.WaitForNextTickAsync(cancellationToken))
        {
            var now = await client.RunAsync(run.Id, cancellationToken);
            if (now is not null && now.Status != WireNames.Of(RunStatus.Running))
            {
                return;
            }
        }
    }

    private static async Task<bool> Tick(PeriodicTimer ticks, CancellationToken stop)
    {
        try
        {
            return await ticks.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<bool> Delay(TimeSpan due, CancellationToken stop)
    {
        try
        {
            await Task.Delay(due, clock, stop);
            return true;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
    }
}
