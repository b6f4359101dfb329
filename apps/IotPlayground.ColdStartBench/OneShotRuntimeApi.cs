using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
using IotPlayground.Lambda.Runtime;

namespace IotPlayground.ColdStartBench;

/// <summary>A Runtime API that serves one bootstrap process at a time, and times its first answer.</summary>
internal sealed class OneShotRuntimeApi : IAsyncDisposable
{
    private static readonly TimeSpan AnswerLimit = TimeSpan.FromSeconds(60);

    private readonly WebApplication _app;
    private readonly Channel<(string RequestId, byte[] Payload)> _invocations = Channel.CreateUnbounded<(string, byte[])>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]>> _answers = new();

    private OneShotRuntimeApi(WebApplication app) => _app = app;

    private string Address => new Uri(_app.Urls.First()).Authority;

    public static async Task<OneShotRuntimeApi> StartAsync()
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

    /// <summary>Starts the build's bootstrap with a start request waiting, and returns the time to its answer.</summary>
    public async Task<TimeSpan> MeasureColdStartAsync(Build build, LocalDynamoDb dynamoDb)
    {
        var start = Invoke("POST", "/api/runs/start", """{"duration":60,"interval":5}""");
        var output = new ConcurrentQueue<string>();
        var watch = Stopwatch.StartNew();
        using var process = StartFunction(build, dynamoDb, output);
        try
        {
            var first = await Task.WhenAny(start, process.WaitForExitAsync(), Task.Delay(AnswerLimit));
            if (first != start)
            {
                var what = process.HasExited ? $"exited with code {process.ExitCode}" : $"did not answer within {AnswerLimit}";
                throw new InvalidOperationException(
                    $"The {build.Name} build {what}:{Environment.NewLine}{string.Join(Environment.NewLine, output)}");
            }

            var answer = await start;
            var elapsed = watch.Elapsed;
            var response = JsonSerializer.Deserialize(answer, LambdaJson.Default.ApiGatewayProxyResponse)!;
            if (response.StatusCode != 201)
            {
                throw new InvalidOperationException($"The {build.Name} build answered {response.StatusCode}: {response.Body}");
            }

            // Frees the run's quota slot for the next repetition; not timed.
            await Invoke("POST", "/api/runs/interrupt-all", null).WaitAsync(AnswerLimit);
            return elapsed;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private Process StartFunction(Build build, LocalDynamoDb dynamoDb, ConcurrentQueue<string> output)
    {
        var start = new ProcessStartInfo(build.Bootstrap) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = Address;
        start.Environment["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDb.Endpoint;
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_ACCESS_KEY_ID"] = "local";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "local";
        start.Environment["RUNS_TABLE"] = LocalDynamoDb.RunsTable;
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

    private Task<byte[]> Invoke(string method, string path, string? body)
    {
        var requestId = Guid.NewGuid().ToString();
        var answer = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _answers[requestId] = answer;
        var request = new ApiGatewayProxyRequest
        {
            HttpMethod = method,
            Path = path,
            Resource = "/api/runs/{proxy+}",
            Headers = new() { ["X-User"] = "bench", ["Content-Type"] = "application/json" },
            Body = body,
        };
        _invocations.Writer.TryWrite((requestId, JsonSerializer.SerializeToUtf8Bytes(request, LambdaJson.Default.ApiGatewayProxyRequest)));
        return answer.Task;
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
