using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using IotPlayground.Lambda.Runtime;

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
/// A Runtime API for one bootstrap process. Each process gets a server of its own: a killed process's long poll may
/// still be pending, and on a shared server it would take (and lose) the next process's invocation.
/// </summary>
internal sealed class OneShotRuntimeApi : IAsyncDisposable
{
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;
    private readonly Channel<(string RequestId, byte[] Payload)> _invocations = Channel.CreateUnbounded<(string, byte[])>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]>> _answers = new();

    private OneShotRuntimeApi(WebApplication app) => _app = app;

    private string Address => new Uri(_app.Urls.First()).Authority;

    /// <summary>Starts the build's bootstrap with <paramref name="first"/> waiting, and times its answer.</summary>
    /// <param name="then">An untimed follow-up from the first answer's body (e.g. finishing the run it started).</param>
    public static async Task<ColdStart> MeasureAsync(Build build, LocalDynamoDb dynamoDb, Invocation first, Func<string, Invocation>? then = null)
    {
        await using var api = await StartAsync();
        var answer = api.Invoke(build, first);
        var output = new ConcurrentQueue<string>();
        var watch = Stopwatch.StartNew();
        using var process = api.StartFunction(build, (build.Bootstrap, []), dynamoDb, output);
        try
        {
            var done = await Task.WhenAny(answer, process.WaitForExitAsync(), Task.Delay(AnswerLimit));
            if (done != answer)
            {
                var what = process.HasExited ? $"exited with code {process.ExitCode}" : $"did not answer within {AnswerLimit}";
                throw new InvalidOperationException(
                    $"The {build.Kind.Name} build of {build.Function.Name} {what}:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
            }

            var body = await answer;
            var elapsed = watch.Elapsed;
            var peak = PeakResidentBytes(process.Id);
            if (then is not null)
            {
                await api.Invoke(build, then(body)).WaitAsync(AnswerLimit);
            }

            return new ColdStart(elapsed, peak, body);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>
    /// Starts the build's bootstrap held to <paramref name="size"/>, then sends it the invocations one after another, as
    /// Lambda sends one instance its requests; <paramref name="next"/> makes the i-th from the answer before it.
    /// </summary>
    public static async Task<WarmInstance> MeasureWarmAsync(
        Build build, LocalDynamoDb dynamoDb, LambdaSize size, int count, Func<int, string, Invocation> next)
    {
        await using var api = await StartAsync();
        var output = new ConcurrentQueue<string>();
        var answer = api.Invoke(build, next(0, ""));
        var watch = Stopwatch.StartNew();
        using var process = api.StartFunction(build, size.Command(build.Bootstrap), dynamoDb, output);
        var warm = new List<TimeSpan>();
        var coldStart = TimeSpan.Zero;
        try
        {
            for (var i = 0; ; i++)
            {
                var done = await Task.WhenAny(answer, process.WaitForExitAsync(), Task.Delay(AnswerLimit));
                if (done != answer)
                {
                    var why = process.HasExited
                        ? $"exited with code {process.ExitCode}{(process.ExitCode == 137 ? " (killed: out of memory)" : "")}"
                        : $"no answer within {AnswerLimit}";
                    return new WarmInstance(coldStart, warm, TimeSpan.Zero, 0, why);
                }

                var body = await answer;
                if (i == 0)
                {
                    coldStart = watch.Elapsed;
                }
                else
                {
                    warm.Add(watch.Elapsed);
                }

                if (i == count)
                {
                    var cpu = CpuTime(process.Id) / (count + 1);
                    return new WarmInstance(coldStart, warm, cpu, PeakResidentBytes(process.Id), null);
                }

                answer = api.Invoke(build, next(i + 1, body));
                watch.Restart();
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static async Task<OneShotRuntimeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var api = new OneShotRuntimeApi(builder.Build());
        var runtime = api._app.MapGroup("/2018-06-01/runtime");
        runtime.MapGet("/invocation/next", api.NextAsync);
        runtime.MapPost("/invocation/{requestId}/response", (string requestId, HttpRequest request) => api.AnswerAsync(requestId, request, failed: false));
        runtime.MapPost("/invocation/{requestId}/error", (string requestId, HttpRequest request) => api.AnswerAsync(requestId, request, failed: true));
        runtime.MapPost("/init/error", (HttpRequest request) => api.AnswerAsync(null, request, failed: true));
        await api._app.StartAsync();
        return api;
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

    private Process StartFunction(
        Build build, (string FileName, IReadOnlyList<string> Arguments) command, LocalDynamoDb dynamoDb, ConcurrentQueue<string> output)
    {
        var start = new ProcessStartInfo(command.FileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["AWS_LAMBDA_RUNTIME_API"] = Address;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = build.Function.Name;
        start.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDb.Endpoint;
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = "local";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "local";
        start.Environment["RUNS_TABLE"] = LocalDynamoDb.RunsTable;
        start.Environment["SENSOR_DATA_TABLE"] = LocalDynamoDb.SensorDataTable;
        start.Environment["GRAFANA_BASE_URL"] = "https://grafana.example.com";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {build.Bootstrap}.");
        process.OutputDataReceived += (_, line) => Keep(output, line.Data);
        process.ErrorDataReceived += (_, line) => Keep(output, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    /// <summary>Queues the invocation; the task ends with the answer's body once its status is the expected one.</summary>
    private async Task<string> Invoke(Build build, Invocation invocation)
    {
        var requestId = Guid.NewGuid().ToString();
        var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _answers[requestId] = answer;
        var request = new ApiGatewayProxyRequest
        {
            HttpMethod = invocation.Method,
            Path = invocation.Path,
            Resource = build.Function.Resource,
            Headers = new() { ["X-User"] = "bench", ["Content-Type"] = "application/json" },
            QueryStringParameters = invocation.Query,
            Body = invocation.Body,
        };
        _invocations.Writer.TryWrite((requestId, JsonSerializer.SerializeToUtf8Bytes(request, LambdaJson.Default.ApiGatewayProxyRequest)));
        var response = JsonSerializer.Deserialize(await answer.Task, LambdaJson.Default.ApiGatewayProxyResponse)!;
        return response.StatusCode == invocation.ExpectedStatus
            ? response.Body ?? ""
            : throw new InvalidOperationException(
                $"The {build.Kind.Name} build of {build.Function.Name} answered {invocation.Method} {invocation.Path} with {response.StatusCode}: {response.Body}");
    }

    private async Task<IResult> NextAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        var (requestId, payload) = await _invocations.Reader.ReadAsync(cancellationToken);
        response.Headers["Lambda-Runtime-Aws-Request-Id"] = requestId;
        response.Headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.AddSeconds(30).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return Results.Bytes(payload, "application/json");
    }

    private async Task<IResult> AnswerAsync(string? requestId, HttpRequest request, bool failed)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync();
        foreach (var (id, answer) in _answers)
        {
            if (requestId is null || id == requestId)
            {
                if (failed)
                {
                    answer.TrySetException(new InvalidOperationException($"The function failed: {body}"));
                }
                else
                {
                    answer.TrySetResult(System.Text.Encoding.UTF8.GetBytes(body));
                }
            }
        }

        return Results.Accepted();
    }
}
