using System.Collections.Concurrent;
using System.Diagnostics;
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
/// through the Runtime API that <see cref="RuntimeApi"/> serves.
/// </summary>
public sealed partial class LocalFunction(string name, string bootstrapPath, ILogger<LocalFunction> logger) : IDisposable
{
    private readonly string _bootstrap = Path.GetFullPath(bootstrapPath);
    private readonly Channel<PendingInvocation> _queue = Channel.CreateUnbounded<PendingInvocation>();
    private readonly ConcurrentDictionary<string, PendingInvocation> _inFlight = new(StringComparer.Ordinal);
    private readonly List<Process> _instances = [];
    private int _running;
    private bool _stopping;

    public string Name => name;

    public void Start(int instances, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var (fileName, arguments) = Executable();
        for (var i = 0; i < instances; i++)
        {
            var start = new ProcessStartInfo(fileName)
            {
                WorkingDirectory = Path.GetDirectoryName(_bootstrap)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            arguments.ForEach(start.ArgumentList.Add);
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }

            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, line) => Forward(Console.Out, line.Data);
            process.ErrorDataReceived += (_, line) => Forward(Console.Error, line.Data);
            process.Exited += (_, _) => OnExited(process);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Interlocked.Increment(ref _running);
            _instances.Add(process);
        }

        LogStarted(name, instances, _bootstrap);
    }

    public async Task<InvocationResult> InvokeAsync(byte[] payload, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clock);
        if (Volatile.Read(ref _running) == 0)
        {
            return new InvocationResult(InvocationOutcome.NoInstance, []);
        }

        var invocation = new PendingInvocation(Guid.NewGuid().ToString(), payload, clock.GetUtcNow() + timeout);
        await _queue.Writer.WriteAsync(invocation, cancellationToken);
        try
        {
            return await invocation.Result.Task.WaitAsync(timeout, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            return new InvocationResult(InvocationOutcome.TimedOut, []);
        }
        finally
        {
            _inFlight.TryRemove(invocation.RequestId, out _);
        }
    }

    /// <summary>The Runtime API's long poll: the next invocation, once there is one.</summary>
    public async Task<PendingInvocation> NextAsync(CancellationToken cancellationToken)
    {
        var invocation = await _queue.Reader.ReadAsync(cancellationToken);
        _inFlight[invocation.RequestId] = invocation;
        return invocation;
    }

    /// <returns>False when the invocation is unknown: answered already, or given up on.</returns>
    public bool Complete(string requestId, InvocationResult result) =>
        _inFlight.TryRemove(requestId, out var invocation) && invocation.Result.TrySetResult(result);

    public void Dispose()
    {
        _stopping = true;
        foreach (var process in _instances)
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }
            catch (InvalidOperationException)
            {
                // Exited already.
            }

            process.Dispose();
        }

        _instances.Clear();
    }

    /// <summary>A built bootstrap next to its dll runs as is; a bare dll (another platform's build) through dotnet.</summary>
    private (string FileName, List<string> Arguments) Executable() =>
        File.Exists(_bootstrap) ? (_bootstrap, [])
        : File.Exists(_bootstrap + ".dll") ? ("dotnet", [_bootstrap + ".dll"])
        : throw new FileNotFoundException($"No bootstrap for the {name} function at {_bootstrap}: build the solution, or set LambdaHost:{name}Bootstrap.", _bootstrap);

    private void OnExited(Process process)
    {
        Interlocked.Decrement(ref _running);
        if (!_stopping)
        {
            LogExited(name, process.ExitCode);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "An instance of {Function} exited with code {ExitCode}")]
    private partial void LogExited(string function, int exitCode);
}
