using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace IotPlayground.LambdaEmulator;

/// <summary>
/// A function as Lambda runs it: a queue of invocations that its instances take one at a time through the Runtime API.
/// As in Lambda, an invocation that finds no instance free to take it starts one (a cold start, reported on its result and
/// in the log), up to the function's limit, beyond which it waits for the first instance to be done; an invocation runs
/// to its end even when its caller goes away, and its late answer is accepted and dropped; an invocation whose deadline
/// passes is over, its late answer refused, and the process that held it stopped, as Lambda stops the execution
/// environment; an instance that exits fails the invocation it held and is replaced by the next invocation; an instance
/// left free for the function's idle lifetime is stopped, as Lambda reclaims an idle execution environment, and the
/// next invocation that finds none free starts cold again.
/// </summary>
public sealed partial class EmulatedFunction : IDisposable
{
    /// <summary>Lambda's limit for a synchronous invocation's response: 6 MB.</summary>
    public const int MaxResponseBytes = 6 * 1024 * 1024;

    private readonly Channel<PendingInvocation> _queue = Channel.CreateUnbounded<PendingInvocation>();
    private readonly ConcurrentDictionary<string, PendingInvocation> _inFlight = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Dictionary<int, EmulatedInstance> _instances = [];

    /// <summary>The request ids of the invocations queued and not yet taken by an instance.</summary>
    private readonly HashSet<string> _waiting = new(StringComparer.Ordinal);
    private readonly List<EmulatedInstance> _everyInstance = [];
    private readonly Func<ProcessStartInfo>? _launch;
    private readonly Action<string> _output;
    private readonly Func<string> _runtimeApi;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly TimeSpan? _idleLifetime;
    private readonly ITimer? _reclaim;
    private int _lastInstanceId;
    private bool _disposed;

    /// <param name="idleLifetime">How long an instance may stay free before it is stopped; null keeps it for good.</param>
    internal EmulatedFunction(
        string name,
        int maxInstances,
        TimeSpan? idleLifetime,
        Func<ProcessStartInfo>? launch,
        Action<string> output,
        Func<string> runtimeApi,
        TimeProvider clock,
        ILogger logger)
    {
        Name = name;
        MaxInstances = maxInstances;
        _idleLifetime = idleLifetime;
        _launch = launch;
        _output = output;
        _runtimeApi = runtimeApi;
        _clock = clock;
        _logger = logger;
        if (idleLifetime is { } lifetime)
        {
            // Looked at twice a lifetime: an instance goes between one and one and a half lifetimes after it was last used.
            _reclaim = clock.CreateTimer(_ => StopIdleInstances(lifetime), null, lifetime / 2, lifetime / 2);
        }
    }

    public string Name { get; }

    /// <summary>How many instances the function may run at once: its concurrency limit.</summary>
    public int MaxInstances { get; }

    /// <summary>How many instances run now: starting, idle or busy.</summary>
    public int RunningInstances
    {
        get
        {
            lock (_gate)
            {
                return _instances.Count;
            }
        }
    }

    public string Arn => $"arn:aws:lambda:local:000000000000:function:{Name}";

    /// <summary>Its invocations as Lambda bills them, and the EMF metrics of its output.</summary>
    public FunctionUsage Usage { get; } = new();

    /// <summary>
    /// Starts an instance now rather than on the first invocation, as the host does at its start: a bootstrap that
    /// cannot start shows then, and the first invocation finds an instance initialized.
    /// </summary>
    /// <returns>How many instances run.</returns>
    public int StartInstances()
    {
        int running;
        lock (_gate)
        {
            if (_launch is not null && !_disposed && _instances.Count == 0)
            {
                TryLaunch();
            }

            running = _instances.Count;
        }

        LogStarted(Name, running);
        return running;
    }

    /// <summary>
    /// An instance for a runtime loop that runs elsewhere (a test's, in process): it gets invocations once it asks
    /// <see cref="EmulatedInstance.BaseAddress"/>; the emulator cannot stop it, so it is told to exit by a 500 on /next.
    /// </summary>
    public EmulatedInstance Attach()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var instance = NewInstance();
            _instances[instance.Id] = instance;
            return instance;
        }
    }

    /// <summary>
    /// Sends one invocation and waits for its end, at most <paramref name="timeout"/> (its deadline, which the runtime
    /// sees as Lambda-Runtime-Deadline-Ms). A caller that cancels stops waiting; the invocation itself goes on.
    /// </summary>
    public async Task<InvocationResult> InvokeAsync(byte[] payload, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var invocation = new PendingInvocation(Guid.NewGuid().ToString(), payload, _clock.GetUtcNow() + timeout);
        if (!TryQueue(invocation))
        {
            return new InvocationResult(InvocationOutcome.NoInstance, []);
        }

        InvocationResult result;
        try
        {
            result = await invocation.Result.Task.WaitAsync(timeout, _clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            TimeOut(invocation);
            result = await invocation.Result.Task;
        }

        return result with { RequestId = invocation.RequestId };
    }

    /// <summary>Stops every instance; the next invocation starts new ones (cold).</summary>
    public void StopInstances()
    {
        List<EmulatedInstance> instances;
        lock (_gate)
        {
            instances = [.. _instances.Values];
            _instances.Clear();
        }

        foreach (var instance in instances)
        {
            instance.Stop();
            Fail(instance.Current, ExitError(instance));
        }
    }

    public void Dispose()
    {
        List<EmulatedInstance> every;
        lock (_gate)
        {
            _disposed = true;
            every = [.. _everyInstance];
        }

        _reclaim?.Dispose();
        StopInstances();
        every.ForEach(i => i.Dispose());
    }

    /// <summary>The Runtime API's long poll of <paramref name="instanceId"/>: its next invocation, once there is one.</summary>
    internal async Task<Next> NextAsync(int instanceId, CancellationToken cancellationToken)
    {
        EmulatedInstance? instance;
        lock (_gate)
        {
            if (_instances.TryGetValue(instanceId, out instance))
            {
                instance.FirstNextAt ??= Stopwatch.GetTimestamp();
            }
        }

        if (instance is null)
        {
            // Not one of this function's instances (it was stopped, or is of a previous host): nothing for it.
            return Next.Unknown;
        }

        using var poll = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, instance.Stopping);
        using var polling = instance.Polling();
        while (true)
        {
            PendingInvocation invocation;
            try
            {
                invocation = await _queue.Reader.ReadAsync(poll.Token);
            }
            catch (OperationCanceledException) when (instance.IsStopping)
            {
                return Next.ExitNow;
            }

            if (invocation.Result.Task.IsCompleted || invocation.Deadline <= _clock.GetUtcNow())
            {
                // Timed out while queued: its caller has its answer, and no answer could reach anyone.
                lock (_gate)
                {
                    _waiting.Remove(invocation.RequestId);
                }

                continue;
            }

            lock (_gate)
            {
                if (instance.IsStopping || !_instances.ContainsKey(instanceId))
                {
                    _queue.Writer.TryWrite(invocation);
                    return Next.ExitNow;
                }

                _waiting.Remove(invocation.RequestId);
                instance.Current = invocation;
                invocation.HandedOverAt = Stopwatch.GetTimestamp();
                _inFlight[invocation.RequestId] = invocation;
            }

            return new Next(200, invocation);
        }
    }

    /// <returns>
    /// False when the invocation is unknown or over: it never was one, it was answered, or its deadline passed. An
    /// invocation whose caller went away is not over: its answer is accepted, and dropped.
    /// </returns>
    internal bool Complete(int instanceId, string requestId, InvocationOutcome outcome, byte[] body, string? errorType)
    {
        EmulatedInstance? instance;
        bool first;
        lock (_gate)
        {
            if (!_instances.TryGetValue(instanceId, out instance) || instance.Current?.RequestId != requestId)
            {
                return false;
            }

            instance.Current = null;
            instance.FreeSince = _clock.GetUtcNow();
            first = instance.Handled++ == 0;
        }

        if (!_inFlight.TryRemove(requestId, out var invocation))
        {
            return false;
        }

        var coldStart = first ? ColdStartOf(instance) : null;
        Usage.Invoked(Stopwatch.GetElapsedTime(invocation.HandedOverAt), coldStart);
        invocation.Result.TrySetResult(new InvocationResult(outcome, body) { ErrorType = errorType, Instance = instance, ColdStart = coldStart });
        return true;
    }

    /// <summary>
    /// An instance that could not initialize: Lambda fails the invocation that was waiting for it with the init error,
    /// and does not use the instance again.
    /// </summary>
    internal void InitFailed(int instanceId, byte[] body, string? errorType)
    {
        EmulatedInstance? instance;
        lock (_gate)
        {
            if (!_instances.Remove(instanceId, out instance))
            {
                return;
            }
        }

        LogInitError(Name, instance.Id, Encoding.UTF8.GetString(body));
        if (_queue.Reader.TryRead(out var waiting))
        {
            lock (_gate)
            {
                _waiting.Remove(waiting.RequestId);
            }

            waiting.Result.TrySetResult(new InvocationResult(InvocationOutcome.InitError, body) { ErrorType = errorType, Instance = instance });
        }

        // The others waiting for an instance would otherwise wait for one that no invocation is left to start.
        lock (_gate)
        {
            StartInstancesForWaiting();
        }
    }

    /// <summary>Queues the invocation, starting an instance for it when none is free to take it.</summary>
    /// <returns>False when no instance runs and none could be started.</returns>
    private bool TryQueue(PendingInvocation invocation)
    {
        lock (_gate)
        {
            _waiting.Add(invocation.RequestId);
            if (StartInstancesForWaiting() == 0 && _launch is not null)
            {
                _waiting.Remove(invocation.RequestId);
                return false;
            }

            // Unbounded: the write always succeeds, and at once.
            _queue.Writer.TryWrite(invocation);
            return true;
        }
    }

    /// <summary>
    /// As Lambda does for an invocation that finds no idle instance: starts an instance for each waiting invocation that
    /// no instance is free to take (a free one waits in /next, is on its way back there, or is still starting), up to
    /// <see cref="MaxInstances"/>. Free instances are used first, so that sequential invocations keep to one instance
    /// and a burst of N starts min(N, <see cref="MaxInstances"/>). The caller holds the gate.
    /// </summary>
    /// <returns>How many instances run.</returns>
    private int StartInstancesForWaiting()
    {
        if (_launch is not null && !_disposed)
        {
            var free = _instances.Values.Count(i => i.Current is null);
            while (free < _waiting.Count && _instances.Count < MaxInstances && TryLaunch())
            {
                free++;
            }
        }

        return _instances.Count;
    }

    /// <summary>Starts one more instance; the caller holds the gate.</summary>
    /// <returns>False when its process could not start.</returns>
    private bool TryLaunch()
    {
        var instance = NewInstance();
        try
        {
            instance.Launch(NewProcess(instance));
            _instances[instance.Id] = instance;
            return true;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            LogStartFailed(Name, ex.Message);
            return false;
        }
    }

    private EmulatedInstance NewInstance()
    {
        // A path below host:port per instance tells the Runtime API which instance asks; the runtime client appends to it.
        var id = ++_lastInstanceId;
        var instance = new EmulatedInstance(id, string.Create(CultureInfo.InvariantCulture, $"{_runtimeApi()}/{Name}/{id}"))
        {
            FreeSince = _clock.GetUtcNow(),
        };
        _everyInstance.Add(instance);
        return instance;
    }

    private Process NewProcess(EmulatedInstance instance)
    {
        var start = _launch!();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = instance.RuntimeApi;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, line) => Forward(line.Data);
        process.ErrorDataReceived += (_, line) => Forward(line.Data);
        process.Exited += (_, _) => OnExited(instance);
        return process;
    }

    private void Forward(string? line)
    {
        if (line is not null)
        {
            Usage.Logged(line);
            _output(line);
        }
    }

    /// <summary>The deadline passed: the invocation is over, and the process that holds it is stopped.</summary>
    private void TimeOut(PendingInvocation invocation)
    {
        _inFlight.TryRemove(invocation.RequestId, out _);
        EmulatedInstance? holder;
        lock (_gate)
        {
            _waiting.Remove(invocation.RequestId);
            holder = _instances.Values.FirstOrDefault(i => i.Current == invocation);
            if (holder is not null)
            {
                holder.Current = null;
                if (holder.Process is not null)
                {
                    _instances.Remove(holder.Id);
                }
            }
        }

        invocation.Result.TrySetResult(new InvocationResult(InvocationOutcome.TimedOut, []) { Instance = holder });
        if (holder?.Process is not null)
        {
            LogTimedOut(Name, holder.Id);
            holder.Stop();

            // Invocations queued behind it would otherwise wait for an instance that no invocation is left to start.
            lock (_gate)
            {
                StartInstancesForWaiting();
            }
        }
    }

    /// <summary>Stops the instances that no invocation has used for <paramref name="lifetime"/>.</summary>
    private void StopIdleInstances(TimeSpan lifetime)
    {
        var freeBefore = _clock.GetUtcNow() - lifetime;
        List<EmulatedInstance> idle;
        lock (_gate)
        {
            // Removed under the gate: an invocation handed to one of them in the meantime goes back to the queue.
            idle = [.. _instances.Values.Where(i => i.Current is null && i.FreeSince <= freeBefore)];
            idle.ForEach(i => _instances.Remove(i.Id));
        }

        foreach (var instance in idle)
        {
            LogIdleStopped(Name, instance.Id, lifetime.TotalMinutes);
            instance.Stop();
        }

        lock (_gate)
        {
            StartInstancesForWaiting();
        }
    }

    private void OnExited(EmulatedInstance instance)
    {
        instance.Exited();
        PendingInvocation? held;
        lock (_gate)
        {
            if (_disposed || !_instances.Remove(instance.Id))
            {
                return;
            }

            held = instance.Current;
        }

        LogExited(Name, instance.Id, instance.ExitCode ?? -1);
        Fail(held, ExitError(instance));

        // Invocations already queued would otherwise wait for an instance that no invocation is left to start.
        lock (_gate)
        {
            StartInstancesForWaiting();
        }
    }

    private void Fail(PendingInvocation? held, InvocationResult result)
    {
        if (held is not null && _inFlight.TryRemove(held.RequestId, out _))
        {
            held.Result.TrySetResult(result);
        }
    }

    private static InvocationResult ExitError(EmulatedInstance instance) =>
        new(InvocationOutcome.FunctionError, Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $$"""{"errorType":"Runtime.ExitError","errorMessage":"Runtime exited with error: exit status {{instance.ExitCode ?? -1}}"}""")))
        {
            ErrorType = "Runtime.ExitError",
            Instance = instance,
        };

    private ColdStart ColdStartOf(EmulatedInstance instance)
    {
        var answered = Stopwatch.GetTimestamp();
        var coldStart = new ColdStart(
            Stopwatch.GetElapsedTime(instance.StartedAt, instance.FirstNextAt ?? answered), Stopwatch.GetElapsedTime(instance.StartedAt, answered));
        LogColdStart(Name, instance.Id, coldStart.Init.TotalMilliseconds, coldStart.UntilAnswer.TotalMilliseconds);
        return coldStart;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Instances} instances of {Function}")]
    private partial void LogStarted(string function, int instances);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cold start of {Function} instance {Instance}: init {InitMs:0} ms, first answer after {AnswerMs:0} ms")]
    private partial void LogColdStart(string function, int instance, double initMs, double answerMs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Instance {Instance} of {Function} exited with code {ExitCode}; the next invocation starts another")]
    private partial void LogExited(string function, int instance, int exitCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Instance {Instance} of {Function} overran its deadline and is stopped")]
    private partial void LogTimedOut(string function, int instance);

    [LoggerMessage(Level = LogLevel.Information, Message = "Instance {Instance} of {Function} was free for {Minutes:0.#} minutes and is stopped")]
    private partial void LogIdleStopped(string function, int instance, double minutes);

    [LoggerMessage(Level = LogLevel.Error, Message = "An instance of {Function} could not start: {Reason}")]
    private partial void LogStartFailed(string function, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Instance {Instance} of {Function} failed to initialize: {Error}")]
    private partial void LogInitError(string function, int instance, string error);
}

/// <summary>The Runtime API's answer to /next: an invocation, or why there is none.</summary>
internal sealed record Next(int Status, PendingInvocation? Invocation)
{
    /// <summary>The instance is not the function's.</summary>
    public static readonly Next Unknown = new(404, null);

    /// <summary>The instance is stopped: the 500 that the Runtime API documents as "exit now".</summary>
    public static readonly Next ExitNow = new(500, null);
}
