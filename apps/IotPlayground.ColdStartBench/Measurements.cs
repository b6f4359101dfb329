using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IotPlayground.Lambda.Runtime;
using IotPlayground.LambdaEmulator;

namespace IotPlayground.ColdStartBench;

/// <summary>An API Gateway request for a function, and the status its answer must have.</summary>
internal sealed record Invocation(string Method, string Path, string? Body, int ExpectedStatus, Dictionary<string, string>? Query = null);

/// <summary>One cold start: process start to first answer, the process's peak resident memory by then, and the answer.</summary>
internal sealed record ColdStart(TimeSpan Elapsed, long PeakResidentBytes, string ResponseBody);

/// <summary>
/// One instance under load at a memory setting: its cold start, the latency of each warm invocation after it, the CPU
/// time it used per invocation, and its peak resident memory at the end; or why it stopped.
/// </summary>
internal sealed record WarmInstance(TimeSpan ColdStart, IReadOnlyList<TimeSpan> Warm, TimeSpan CpuPerInvocation, long PeakResidentBytes, string? Failure);

/// <summary>
/// Bootstrap processes on the Runtime API emulator, one fresh instance per measurement: the emulator starts it for the
/// first invocation, as Lambda does, and reports that cold start from the process's start to its answer.
/// </summary>
internal sealed class Measurements(RuntimeApiEmulator emulator, LocalDynamoDb dynamoDb) : IAsyncDisposable
{
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(60);

    private int _measurements;

    public static async Task<Measurements> StartAsync(LocalDynamoDb dynamoDb) => new(await RuntimeApiEmulator.StartAsync(), dynamoDb);

    /// <summary>Starts the build's bootstrap for <paramref name="first"/>, and times its cold start.</summary>
    /// <param name="then">An untimed follow-up from the first answer's body (e.g. finishing the run it started).</param>
    public async Task<ColdStart> MeasureAsync(Build build, Invocation first, Func<string, Invocation>? then = null)
    {
        var output = new ConcurrentQueue<string>();
        using var function = NewFunction(build, (build.Bootstrap, []), output);
        var result = await function.InvokeAsync(Payload(build, first), AnswerLimit, CancellationToken.None);
        var body = Answer(build, first, result, output);
        var coldStart = result.ColdStart
            ?? throw new InvalidOperationException($"The {build.Kind.Name} build of {build.Function.Name} answered from an instance that was not new.");
        var peak = PeakResidentBytes(result.Instance!.ProcessId!.Value);
        if (then is not null)
        {
            var next = then(body);
            Answer(build, next, await function.InvokeAsync(Payload(build, next), AnswerLimit, CancellationToken.None), output);
        }

        return new ColdStart(coldStart.UntilAnswer, peak, body);
    }

    /// <summary>
    /// Starts the build's bootstrap held to <paramref name="size"/>, then sends it the invocations one after another, as
    /// Lambda sends one instance its requests; <paramref name="next"/> makes the i-th from the answer before it.
    /// </summary>
    public async Task<WarmInstance> MeasureWarmAsync(Build build, LambdaSize size, int count, Func<int, string, Invocation> next)
    {
        var output = new ConcurrentQueue<string>();
        using var function = NewFunction(build, size.Command(build.Bootstrap), output);
        var warm = new List<TimeSpan>();
        var coldStart = TimeSpan.Zero;
        var body = "";
        EmulatedInstance? instance = null;
        for (var i = 0; ; i++)
        {
            var invocation = next(i, body);
            var watch = Stopwatch.StartNew();
            var result = await function.InvokeAsync(Payload(build, invocation), AnswerLimit, CancellationToken.None);
            var elapsed = watch.Elapsed;
            instance ??= result.Instance;

            // An instance that exits between two invocations is replaced by the next one: that is the end of this one too.
            if (result.Outcome != InvocationOutcome.Responded || result.Instance != instance)
            {
                var why = instance?.ExitCode is { } exitCode
                    ? $"exited with code {exitCode}{(exitCode == 137 ? " (killed: out of memory)" : "")}"
                    : $"{result.Outcome}: {System.Text.Encoding.UTF8.GetString(result.Body)}";
                return new WarmInstance(coldStart, warm, TimeSpan.Zero, 0, why);
            }

            body = Answer(build, invocation, result, output);
            if (i == 0)
            {
                coldStart = result.ColdStart?.UntilAnswer ?? elapsed;
            }
            else
            {
                warm.Add(elapsed);
            }

            if (i == count)
            {
                var processId = result.Instance!.ProcessId!.Value;
                return new WarmInstance(coldStart, warm, CpuTime(processId) / (count + 1), PeakResidentBytes(processId), null);
            }
        }
    }

    public ValueTask DisposeAsync() => emulator.DisposeAsync();

    /// <summary>A function of its own per measurement: its one instance is started by the first invocation, and killed after.</summary>
    private EmulatedFunction NewFunction(Build build, (string FileName, IReadOnlyList<string> Arguments) command, ConcurrentQueue<string> output)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{build.Kind.Name}-{build.Function.Name}-{Interlocked.Increment(ref _measurements)}");
        return emulator.AddFunction(name, maxInstances: 1, () => StartInfo(build, command), output.Enqueue);
    }

    private ProcessStartInfo StartInfo(Build build, (string FileName, IReadOnlyList<string> Arguments) command)
    {
        var start = new ProcessStartInfo(command.FileName);
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = build.Function.Name;
        start.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDb.Endpoint;
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = "local";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "local";
        start.Environment["RUNS_TABLE"] = LocalDynamoDb.RunsTable;
        start.Environment["SENSOR_DATA_TABLE"] = LocalDynamoDb.SensorDataTable;
        start.Environment["GRAFANA_BASE_URL"] = "https://grafana.example.com";
        return start;
    }

    private static byte[] Payload(Build build, Invocation invocation) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new ApiGatewayProxyRequest
            {
                HttpMethod = invocation.Method,
                Path = invocation.Path,
                Resource = build.Function.Resource,
                Headers = new() { ["X-User"] = "bench", ["Content-Type"] = "application/json" },
                QueryStringParameters = invocation.Query,
                Body = invocation.Body,
            },
            LambdaJson.Default.ApiGatewayProxyRequest);

    /// <summary>The answer's body, once its status is the expected one.</summary>
    private static string Answer(Build build, Invocation invocation, InvocationResult result, ConcurrentQueue<string> output)
    {
        var what = $"The {build.Kind.Name} build of {build.Function.Name}, asked {invocation.Method} {invocation.Path},";
        if (result.Outcome != InvocationOutcome.Responded)
        {
            var exit = result.Instance?.ExitCode is { } code ? $" (exit code {code})" : "";
            throw new InvalidOperationException(
                $"{what} ended {result.Outcome}{exit}: {System.Text.Encoding.UTF8.GetString(result.Body)}{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
        }

        var response = JsonSerializer.Deserialize(result.Body, LambdaJson.Default.ApiGatewayProxyResponse)!;
        return response.StatusCode == invocation.ExpectedStatus
            ? response.Body ?? ""
            : throw new InvalidOperationException($"{what} answered {response.StatusCode}: {response.Body}");
    }

    /// <summary>VmHWM: the most memory the process has held resident since it started, as the kernel counts it.</summary>
    private static long PeakResidentBytes(int processId)
    {
        var line = File.ReadLines($"/proc/{processId}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>User and system time of a process so far (/proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static TimeSpan CpuTime(int processId)
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
