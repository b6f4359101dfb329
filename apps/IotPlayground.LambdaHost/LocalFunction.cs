using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace IotPlayground.LambdaHost;

/// <summary>One invocation waiting for, or being handled by, a function instance.</summary>
public sealed record PendingInvocation(string RequestId, byte[] Payload, DateTimeOffset Deadline)
{
    public TaskCompletionSource<InvocationResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>What became of an invocation: the function's response document, or why there is none.</summary>
public sealed record InvocationResult(InvocationOutcome Outcome, byte[] Body);

public enum InvocationOutcome
{
    Responded,
    FunctionError,
    TimedOut,
    NoInstance,
}

/// <summary>
/// A function as Lambda runs it: a queue of invocations that its instances (bootstrap processes) take one at a time
/// through the Runtime API that <see cref="RuntimeApi"/> serves, each instance under a path of its own.
/// As in Lambda, an invocation runs to its end even when its caller goes away, and its late answer is accepted and
/// dropped; an instance that exits fails the invocation it held and is replaced on the next invocation; an instance
/// that overruns the timeout is stopped, as Lambda stops the execution environment.
/// </summary>
public sealed partial class LocalFunction(string name, string bootstrapPath, ILogger<LocalFunction> logger) : IDisposable
{
    private static readonly byte[] ExitError = Encoding.UTF8.GetBytes("""{"errorType":"Runtime.ExitError","errorMessage":"The runtime exited during the invocation."}""");

    private readonly string _bootstrap = Path.GetFullPath(bootstrapPath);
    private readonly Channel<PendingInvocation> _queue = Channel.CreateUnbounded<PendingInvocation>();
    private readonly ConcurrentDictionary<string, PendingInvocation> _inFlight = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Instance> _instances = [];
    private int _wanted;
    private int _lastInstanceId;
    private string _runtimeApi = "";
    private IReadOnlyDictionary<string, string> _environment = new Dictionary<string, string>();
    private bool _stopping;

    public string Name => name;

    /// <summary>Starts <paramref name="instances"/> instances, each with the Runtime API at <paramref name="runtimeApi"/>/{instance}.</summary>
    public void Start(int instances, string runtimeApi, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        lock (_gate)
        {
            _wanted = instances;
            _runtimeApi = runtimeApi;
            _environment = environment;
        }

        var started = EnsureInstances();
        LogStarted(name, started, _bootstrap);
    }

    public async Task<InvocationResult> InvokeAsync(byte[] payload, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (EnsureInstances() == 0)
        {
            return new InvocationResult(InvocationOutcome.NoInstance, []);
        }

        var invocation = new PendingInvocation(Guid.NewGuid().ToString(), payload, clock.GetUtcNow() + timeout);
        await _queue.Writer.WriteAsync(invocation, cancellationToken);

        // A caller that goes away stops waiting; the invocation itself goes on, as it does in Lambda.
        try
        {
            return await invocation.Result.Task.WaitAsync(timeout, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            StopHolderOf(invocation);
            invocation.Result.TrySetResult(new InvocationResult(InvocationOutcome.TimedOut, []));
            return new InvocationResult(InvocationOutcome.TimedOut, []);
        }
    }

    /// <summary>
    /// The Runtime API's long poll: the next invocation for <paramref name="instanceId"/>, once there is one; null when
    /// that instance is not one of this function's (it has exited, or is of a previous host).
    /// </summary>
    public async Task<PendingInvocation?> NextAsync(int instanceId, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        while (true)
        {
            var invocation = await _queue.Reader.ReadAsync(cancellationToken);
            if (invocation.Result.Task.IsCompleted || invocation.Deadline <= clock.GetUtcNow())
            {
                // Timed out while queued: its caller has had its 504, and no answer could reach anyone.
                continue;
            }

            lock (_gate)
            {
                if (!_instances.TryGetValue(instanceId, out var instance))
                {
                    _queue.Writer.TryWrite(invocation);
                    return null;
                }

                instance.Current = invocation;
                _inFlight[invocation.RequestId] = invocation;
            }

            return invocation;
        }
    }

    /// <returns>
    /// False when the invocation is unknown: it never was one, or it was already answered. An invocation whose caller
    /// went away is still known: its answer is accepted, and dropped.
    /// </returns>
    public bool Complete(int instanceId, string requestId, InvocationResult result)
    {
        lock (_gate)
        {
            if (_instances.TryGetValue(instanceId, out var instance) && instance.Current?.RequestId == requestId)
            {
                instance.Current = null;
            }
        }

        if (!_inFlight.TryRemove(requestId, out var invocation))
        {
            return false;
        }

        invocation.Result.TrySetResult(result);
        return true;
    }

    public void Dispose()
    {
        List<Instance> instances;
        lock (_gate)
        {
            _stopping = true;
            instances = [.. _instances.Values];
            _instances.Clear();
        }

        foreach (var instance in instances)
        {
            try
            {
                instance.Process.Kill(entireProcessTree: true);
                instance.Process.WaitForExit(TimeSpan.FromSeconds(5));
            }
            catch (InvalidOperationException)
            {
                // Exited already.
            }

            instance.Process.Dispose();
        }
    }

    /// <summary>Starts instances until as many run as configured, as Lambda does for an invocation that finds none free.</summary>
    /// <returns>How many instances run.</returns>
    private int EnsureInstances()
    {
        lock (_gate)
        {
            while (!_stopping && _instances.Count < _wanted)
            {
                try
                {
                    var instance = StartInstance(++_lastInstanceId);
                    _instances[instance.Id] = instance;
                }
                catch (System.ComponentModel.Win32Exception ex)
                {
                    LogStartFailed(name, ex.Message);
                    break;
                }
            }

            return _instances.Count;
        }
    }

    private Instance StartInstance(int id)
    {
        var (fileName, arguments) = Executable();
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = Path.GetDirectoryName(_bootstrap)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        arguments.ForEach(start.ArgumentList.Add);
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        // A path below host:port per instance tells the Runtime API which instance asks; the runtime client appends to it.
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = string.Create(CultureInfo.InvariantCulture, $"{_runtimeApi}/{id}");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var instance = new Instance(id, process);
        process.OutputDataReceived += (_, line) => Forward(Console.Out, line.Data);
        process.ErrorDataReceived += (_, line) => Forward(Console.Error, line.Data);
        process.Exited += (_, _) => OnExited(instance);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return instance;
    }

    /// <summary>Stops the instance that holds <paramref name="invocation"/>, if one does: it overran the timeout.</summary>
    private void StopHolderOf(PendingInvocation invocation)
    {
        Instance? holder;
        lock (_gate)
        {
            holder = _instances.Values.FirstOrDefault(i => i.Current == invocation);
        }

        if (holder is not null)
        {
            LogTimedOut(name, holder.Id);
            try
            {
                holder.Process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited meanwhile.
            }
        }
    }

    /// <summary>A built bootstrap next to its dll runs as is; a bare dll (another platform's build) through dotnet.</summary>
    private (string FileName, List<string> Arguments) Executable() =>
        File.Exists(_bootstrap) ? (_bootstrap, [])
        : File.Exists(_bootstrap + ".dll") ? ("dotnet", [_bootstrap + ".dll"])
        : throw new FileNotFoundException($"No bootstrap for the {name} function at {_bootstrap}: build the solution, or set LambdaHost:{name}Bootstrap.", _bootstrap);

    private void OnExited(Instance instance)
    {
        PendingInvocation? held;
        bool queued;
        lock (_gate)
        {
            if (_stopping || !_instances.Remove(instance.Id))
            {
                return;
            }

            held = instance.Current;
            queued = _queue.Reader.Count > 0;
        }

        LogExited(name, instance.Id, instance.Process.ExitCode);
        if (held is not null && _inFlight.TryRemove(held.RequestId, out _))
        {
            held.Result.TrySetResult(new InvocationResult(InvocationOutcome.FunctionError, ExitError));
        }

        // Invocations already queued would otherwise wait for an instance that no invocation is left to start.
        if (queued)
        {
            EnsureInstances();
        }
    }

    private static void Forward(TextWriter writer, string? line)
    {
        if (line is not null)
        {
            writer.WriteLine(line);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Instances} instances of {Function} from {Bootstrap}")]
    private partial void LogStarted(string function, int instances, string bootstrap);

    [LoggerMessage(Level = LogLevel.Error, Message = "Instance {Instance} of {Function} exited with code {ExitCode}; the next invocation starts another")]
    private partial void LogExited(string function, int instance, int exitCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Instance {Instance} of {Function} overran its timeout and is stopped")]
    private partial void LogTimedOut(string function, int instance);

    [LoggerMessage(Level = LogLevel.Error, Message = "An instance of {Function} could not start: {Reason}")]
    private partial void LogStartFailed(string function, string reason);

    private sealed class Instance(int id, Process process)
    {
        public int Id => id;

        public Process Process => process;

        public PendingInvocation? Current { get; set; }
    }
}
