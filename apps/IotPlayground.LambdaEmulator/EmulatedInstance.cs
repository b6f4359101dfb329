using System.Diagnostics;

namespace IotPlayground.LambdaEmulator;

/// <summary>
/// One execution environment of a function: a bootstrap process the emulator started, or a runtime loop that attached
/// itself (a test's, in process). It reaches the Runtime API at <see cref="RuntimeApi"/>, a path of its own, so that the
/// emulator knows which instance holds which invocation.
/// </summary>
public sealed class EmulatedInstance : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private int _polls;

    internal EmulatedInstance(int id, string runtimeApi)
    {
        Id = id;
        RuntimeApi = runtimeApi;
    }

    public int Id { get; }

    /// <summary>What AWS_LAMBDA_RUNTIME_API holds for this instance: host:port and its path.</summary>
    public string RuntimeApi { get; }

    /// <summary>The Runtime API's base address, as a runtime client takes it.</summary>
    public Uri BaseAddress => new($"http://{RuntimeApi}/2018-06-01/runtime/");

    /// <summary>Its process's id; null for an attached runtime loop.</summary>
    public int? ProcessId { get; private set; }

    /// <summary>Its process's exit code once it has exited; null while it runs, and for an attached runtime loop.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Whether the instance is waiting in /next: done with its last invocation, and ready for another.</summary>
    public bool IsIdle => Volatile.Read(ref _polls) > 0;

    internal Process? Process { get; private set; }

    /// <summary>Stopwatch timestamps: started, first /next, first answer.</summary>
    internal long StartedAt { get; set; } = Stopwatch.GetTimestamp();

    internal long? FirstNextAt { get; set; }

    internal int Handled { get; set; }

    internal PendingInvocation? Current { get; set; }

    /// <summary>When it last became free: launched, or done with an invocation (the function's clock).</summary>
    internal DateTimeOffset FreeSince { get; set; }

    /// <summary>Cancelled when the instance is stopped: a long poll it has pending is answered "exit now".</summary>
    internal CancellationToken Stopping => _stopping.Token;

    internal bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>Starts the instance's process; the stopwatch of its cold start starts with it.</summary>
    internal void Launch(Process process)
    {
        StartedAt = Stopwatch.GetTimestamp();
        process.Start();

        // Its function redirects both streams; a pipe holds 64 KiB, and a process whose output nobody reads blocks at
        // its next log line, mid-invocation.
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Process = process;
        ProcessId = process.Id;
    }

    /// <summary>Keeps the exit code once the process is gone, and lets the process go.</summary>
    internal void Exited()
    {
        if (Process is { } process)
        {
            ExitCode = process.ExitCode;
            process.Dispose();
        }
    }

    /// <summary>Called by its function once the instance is stopped and the function is done with it.</summary>
    public void Dispose()
    {
        _stopping.Dispose();
        Process?.Dispose();
    }

    /// <summary>Counts a /next long poll of the instance for as long as the returned scope lasts.</summary>
    internal PollScope Polling() => new(this);

    internal void Stop()
    {
        _stopping.Cancel();
        if (Process is null)
        {
            return;
        }

        try
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit(TimeSpan.FromSeconds(5));
        }
        catch (InvalidOperationException)
        {
            // Exited already (and let go).
        }
    }

    internal readonly struct PollScope : IDisposable
    {
        private readonly EmulatedInstance _instance;

        public PollScope(EmulatedInstance instance)
        {
            _instance = instance;
            Interlocked.Increment(ref instance._polls);
        }

        public void Dispose() => Interlocked.Decrement(ref _instance._polls);
    }
}
