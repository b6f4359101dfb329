using System.Text.Json;
using System.Text.Json.Nodes;
using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using IotPlayground.Domain;
using IotPlayground.Lambda.Functions;
using IotPlayground.Lambda.Runtime;

namespace IotPlayground.Lambda.Tests;

/// <summary>What a function adds to the HTTP application: proxy events, failures as problems, logs, CORS, schedules.</summary>
public sealed class ProxyFunctionTests : IDisposable
{
    private static readonly LambdaContext Context = new("req-42", DateTimeOffset.UtcNow.AddSeconds(30), null);
    private readonly StringWriter _output = new();
    private IReadOnlyList<JsonObject> _logLines = [];
    private string? _requestId;

    [Fact]
    public async Task AHandlerThatThrowsAnswersA500ProblemAndLogsTheError()
    {
        var response = await InvokeAsync(() => throw new InvalidOperationException("bug"));

        Assert.Equal(500, response.StatusCode);
        Assert.Equal("application/problem+json", response.Headers["Content-Type"]);
        Assert.Equal("internal_error", (string?)JsonNode.Parse(response.Body)!["code"]);
        Assert.DoesNotContain("bug", response.Body, StringComparison.Ordinal);
        var error = Assert.Single(LogLines(), l => (string?)l["level"] == "ERROR");
        Assert.Equal("bug", (string?)error["errorMessage"]);
    }

    [Fact]
    public async Task AnUnreachableStoreAnswersA503Problem()
    {
        var response = await InvokeAsync(() => throw new StoreUnavailableException("down", new IOException()));

        Assert.Equal(503, response.StatusCode);
        Assert.Equal("unavailable", (string?)JsonNode.Parse(response.Body)!["code"]);
    }

    [Fact]
    public async Task EveryRequestIsLoggedWithItsRequestId()
    {
        await InvokeAsync(() => new ApiResponse(204, new Dictionary<string, string>(), []));

        var line = Assert.Single(LogLines());
        Assert.Equal("request", (string?)line["message"]);
        Assert.Equal(_requestId, (string?)line["requestId"]);
        Assert.Equal("test-api", (string?)line["service"]);
        Assert.Equal(204, (int?)line["status"]);
        Assert.Equal("/api/runs", (string?)line["path"]);
    }

    [Fact]
    public async Task OnlyTheAnswerToAnInstancesFirstInvocationSaysItWasAColdStart()
    {
        var function = Function(() => new ApiResponse(200, new Dictionary<string, string>(), []), cors: null);
        var request = JsonSerializer.SerializeToUtf8Bytes(
            new ApiGatewayProxyRequest { HttpMethod = "GET", Path = "/api/runs", Resource = "/api/runs" }, LambdaJson.Default.ApiGatewayProxyRequest);

        var answers = new List<ApiGatewayProxyResponse>();
        for (var i = 0; i < 3; i++)
        {
            var body = await function.HandleAsync(new Invocation($"req-{i}", DateTimeOffset.UtcNow.AddSeconds(30), null, null, request), Context, default);
            answers.Add(JsonSerializer.Deserialize(body, LambdaJson.Default.ApiGatewayProxyResponse)!);
        }

        Assert.Equal("true", answers[0].Headers[HeaderNames.ColdStart]);
        Assert.All(answers.Skip(1), a => Assert.False(a.Headers.ContainsKey(HeaderNames.ColdStart)));
    }

    [Fact]
    public async Task TheFrontendsOriginIsAllowedWhenConfigured()
    {
        var response = await InvokeAsync(() => new ApiResponse(200, new Dictionary<string, string>(), []), cors: "https://app-iot.example.com");

        Assert.Equal("https://app-iot.example.com", response.Headers["Access-Control-Allow-Origin"]);
        Assert.Equal("X-Truncated,X-Cold-Start", response.Headers["Access-Control-Expose-Headers"]);
    }

    [Fact]
    public async Task AFailedRequestCarriesTheFrontendsOriginToo()
    {
        var response = await InvokeAsync(() => throw new InvalidOperationException("bug"), cors: "https://app-iot.example.com");

        Assert.Equal(500, response.StatusCode);
        Assert.Equal("https://app-iot.example.com", response.Headers["Access-Control-Allow-Origin"]);
    }

    [Fact]
    public async Task AnEventThatIsNotAProxyRequestIsAnInvocationError()
    {
        var function = Function(() => new ApiResponse(200, new Dictionary<string, string>(), []), cors: null);

        await Assert.ThrowsAsync<JsonException>(() =>
            function.HandleAsync(new Invocation("req", DateTimeOffset.UtcNow, null, null, """{"source":"aws.events"}"""u8.ToArray()), Context, default));
    }

    [Fact]
    public async Task AnEventBridgeScheduleRunsTheFunctionsPeriodicWork()
    {
        var runs = 0;
        var function = new ProxyFunction<Func<ApiResponse>>(Application(() => throw new InvalidOperationException("Not an HTTP request."), null), Log(), _ =>
        {
            runs++;
            return Task.CompletedTask;
        });
        var schedule = """{"source":"aws.events","detail-type":"Scheduled Event","detail":{}}"""u8.ToArray();

        await function.HandleAsync(new Invocation("req", DateTimeOffset.UtcNow, null, null, schedule), Context, default);

        Assert.Equal(1, runs);
    }

    public void Dispose() => _output.Dispose();

    /// <summary>One proxy event through the whole runtime loop, as Lambda would deliver it.</summary>
    private async Task<ApiGatewayProxyResponse> InvokeAsync(Func<ApiResponse> answer, string? cors = null)
    {
        await using var runtime = await InProcessRuntime.StartAsync("test-api");
        runtime.Run(() => new ProxyFunction<Func<ApiResponse>>(Application(answer, cors), runtime.Log));
        var request = new ApiGatewayProxyRequest { HttpMethod = "GET", Path = "/api/runs", Resource = "/api/runs" };

        var result = await runtime.InvokeAsync(JsonSerializer.Serialize(request, LambdaJson.Default.ApiGatewayProxyRequest));

        Assert.Equal(0, await runtime.StopAsync());
        _requestId = result.RequestId;
        _logLines = runtime.LogLines;
        return JsonSerializer.Deserialize(result.Body, LambdaJson.Default.ApiGatewayProxyResponse)!;
    }

    private ProxyFunction<Func<ApiResponse>> Function(Func<ApiResponse> answer, string? cors) => new(Application(answer, cors), Log());

    /// <summary>An application of one route, GET /api/runs, whose handler answers what <paramref name="answer"/> gives.</summary>
    private static ApiApplication<Func<ApiResponse>> Application(Func<ApiResponse> answer, string? cors) => new(
        [
            new ApiRoute<Func<ApiResponse>>
            {
                Function = "Test", Method = "GET", Path = "/api/runs", Tag = "Test", OperationId = "test", Summary = "A test route",
                Responses = [ResponseSpec.Success(200)],
                Handle = (handler, call, cancellationToken) => Task.FromResult(handler()),
            },
        ],
        answer,
        cors);

    private JsonLog Log() => new(_output, "test-api", TimeProvider.System);

    /// <summary>What the last <see cref="InvokeAsync"/> logged.</summary>
    private IReadOnlyList<JsonObject> LogLines() => _logLines;
}
