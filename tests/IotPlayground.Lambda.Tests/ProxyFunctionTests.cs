using System.Text.Json;
using System.Text.Json.Nodes;
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
        Assert.Equal("req-42", (string?)line["requestId"]);
        Assert.Equal("test-api", (string?)line["service"]);
        Assert.Equal(204, (int?)line["status"]);
        Assert.Equal("/api/runs", (string?)line["path"]);
    }

    [Fact]
    public async Task TheFrontendsOriginIsAllowedWhenConfigured()
    {
        var response = await InvokeAsync(() => new ApiResponse(200, new Dictionary<string, string>(), []), cors: "https://app-iot.example.com");

        Assert.Equal("https://app-iot.example.com", response.Headers["Access-Control-Allow-Origin"]);
        Assert.Equal("X-Truncated", response.Headers["Access-Control-Expose-Headers"]);
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
        using var api = new FakeRuntimeApi();
        var request = new ApiGatewayProxyRequest { HttpMethod = "GET", Path = "/api/runs", Resource = "/api/runs" };
        api.Enqueue(Context.RequestId, JsonSerializer.Serialize(request, LambdaJson.Default.ApiGatewayProxyRequest), Context.Deadline);

        await LambdaBootstrap.RunAsync(() => Function(answer, cors), api.Client, Log(), TimeProvider.System, api.Drained);

        return JsonSerializer.Deserialize(api.ResponseTo(Context.RequestId), LambdaJson.Default.ApiGatewayProxyResponse)!;
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

    private List<JsonNode> LogLines() =>
        _output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
}
