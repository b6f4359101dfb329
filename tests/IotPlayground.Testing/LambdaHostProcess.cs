using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace IotPlayground.Testing;

/// <summary>
/// apps/IotPlayground.LambdaHost as a developer runs it in its published mode: a process serving API Gateway's routes
/// from the two functions' Native AOT bootstrap executables (<see cref="TestFunctions"/>), on tables of its own.
/// </summary>
public sealed partial class LambdaHostProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LambdaHostProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the host and its functions wrote last: the clue when a test fails.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join(Environment.NewLine, _lastLines);
            }
        }
    }

    /// <param name="frontendOrigin">The web page's origin, which the functions and the host's CORS preflight allow.</param>
    /// <param name="functions">The folder of the published functions; <see cref="TestFunctions.NativeAot"/> by default.</param>
    public static async Task<LambdaHostProcess> StartAsync(
        string dynamoDbEndpoint,
        string runsTable,
        string sensorDataTable,
        string grafanaBaseUrl,
        string? frontendOrigin = null,
        string? functions = null)
    {
        functions ??= TestFunctions.NativeAot;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                HostAssembly(),
                "--urls", "http://127.0.0.1:0",
                $"--LambdaHost:RunsTable={runsTable}",
                $"--LambdaHost:SensorDataTable={sensorDataTable}",
                $"--LambdaHost:GrafanaBaseUrl={grafanaBaseUrl}",
                $"--LambdaHost:RunApiBootstrap={TestFunctions.Bootstrap(functions, TestFunctions.RunApi)}",
                $"--LambdaHost:SensorApiBootstrap={TestFunctions.Bootstrap(functions, TestFunctions.SensorApi)}",
                "--Logging:LogLevel:Default=Warning",
                "--Logging:LogLevel:IotPlayground=Information",
            },
        };
        start.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDbEndpoint;
        if (frontendOrigin is not null)
        {
            start.Environment["CORS_ALLOWED_ORIGIN"] = frontendOrigin;
        }
        var host = new LambdaHostProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        try
        {
            await host.StartAsync();
            await host.WarmUpAsync();
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Sends each function four concurrent first requests, which start and warm four instances of it as a burst does in
    /// Lambda: a cold instance's first answer (JIT, SDK set-up) may take seconds on a busy machine, and tests count on
    /// answers within their deadlines.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var requests = Enumerable.Range(0, 4).SelectMany(_ => new[]
        {
            client.GetAsync(new Uri("/api/runs/can-start", UriKind.Relative)),
            client.GetAsync(new Uri($"/api/sensors/data?runId={Guid.NewGuid()}", UriKind.Relative)),
        });
        foreach (var response in await Task.WhenAll(requests))
        {
            using (response)
            {
                if ((int)response.StatusCode >= 500)
                {
                    throw new InvalidOperationException($"Warm-up got {response.StatusCode}:{Environment.NewLine}{RecentOutput}");
                }
            }
        }
    }

    /// <summary>The function instances the host runs now: its child processes (Linux: /proc).</summary>
    public IReadOnlyList<int> FunctionProcessIds() =>
        Directory.EnumerateDirectories($"/proc/{_process.Id}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pid => int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM first: the host stops its function processes on the way out.
            using var terminate = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await terminate.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private async Task StartAsync()
    {
        _process.OutputDataReceived += (_, line) => Observe(line.Data);
        _process.ErrorDataReceived += (_, line) => Observe(line.Data);
        _process.Exited += (_, _) => _ready.TrySetException(new InvalidOperationException(
            $"The Lambda host exited with code {_process.ExitCode}:{Environment.NewLine}{RecentOutput}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            BaseAddress = await _ready.Task.WaitAsync(StartLimit);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The Lambda host was not ready within {StartLimit}:{Environment.NewLine}{RecentOutput}");
        }
    }

    private void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 200)
            {
                _lastLines.Dequeue();
            }
        }

        if (ReadyLine().Match(line) is { Success: true } ready)
        {
            _ready.TrySetResult(new Uri(ready.Groups["address"].Value));
        }
    }

    private static string HostAssembly() =>
        typeof(LambdaHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LambdaHostAssembly").Value!;

    [GeneratedRegex(@"Serverless backend ready on (?<address>http://\S+)")]
    private static partial Regex ReadyLine();
}
