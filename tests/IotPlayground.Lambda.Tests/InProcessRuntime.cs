using System.Text;
using System.Text.Json.Nodes;
using IotPlayground.Lambda.Runtime;
using IotPlayground.LambdaEmulator;
using IotPlayground.Testing;

namespace IotPlayground.Lambda.Tests;

/// <summary>
/// The runtime loop in this process, on an instance of the Runtime API emulator that the local host and the cold-start
/// bench use: invocations go through the Runtime API over HTTP, with its request ids, enforced deadlines and limits.
/// </summary>
internal sealed class InProcessRuntime : IAsyncDisposable
{
    private readonly RuntimeApiEmulator _emulator;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _output = new();
    private readonly TextWriter _log;
    private readonly string _service;
    private Task<int>? _loop;

    private InProcessRuntime(RuntimeApiEmulator emulator, string service)
    {
        _emulator = emulator;
        _service = service;
        Function = emulator.AddFunction("test");
        Instance = Function.Attach();
        _http = new HttpClient { BaseAddress = Instance.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _log = TextWriter.Synchronized(_output);
    }

    public EmulatedFunction Function { get; }

    public EmulatedInstance Instance { get; }

    /// <summary>What the loop and its handler logged so far: written on the loop's thread, read on the test's.</summary>
    public IReadOnlyList<JsonObject> LogLines
    {
        get
        {
            // A synchronized writer locks on itself.
            lock (_log)
            {
                return JsonLogLines.Parse(_output.ToString());
            }
        }
    }

    public JsonLog Log => new(_log, _service, TimeProvider.System);

    public static async Task<InProcessRuntime> StartAsync(string service = "test") => new(await RuntimeApiEmulator.StartAsync(), service);

    /// <summary>Starts the loop; it runs until <see cref="StopAsync"/>, or until it ends by itself.</summary>
    public void Run(Func<IInvocationHandler> initialize) =>
        _loop = Task.Run(() => LambdaBootstrap.RunAsync(initialize, new RuntimeApiClient(_http), Log, TimeProvider.System, _stop.Token));

    /// <summary>The exit code of a loop that ends by itself.</summary>
    public Task<int> ExitCode => _loop ?? throw new InvalidOperationException("The loop was never started.");

    public Task<InvocationResult> InvokeAsync(string payload, TimeSpan? timeout = null) =>
        Function.InvokeAsync(Encoding.UTF8.GetBytes(payload), timeout ?? TimeSpan.FromSeconds(30), CancellationToken.None);

    /// <summary>Stops the loop as a frozen execution environment stops it (it never hears again), and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        // Once it waits for the next invocation: cancelling an answer on its way would lose it.
        await Eventually.Async(() => Task.FromResult(Instance.IsIdle), TimeSpan.FromSeconds(10), "The loop did not come back for the next invocation.");
        await _stop.CancelAsync();
        return await (_loop ?? throw new InvalidOperationException("The loop was never started."));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await Task.WhenAny(_loop);
        }

        await _emulator.DisposeAsync();
        _http.Dispose();
        _stop.Dispose();
        await _log.DisposeAsync();
    }
}

internal static class InvocationResults
{
    public static string BodyText(this InvocationResult result) => Encoding.UTF8.GetString(result.Body);
}
