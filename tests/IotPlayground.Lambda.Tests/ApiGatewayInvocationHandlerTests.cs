using System.Text.Json;
using System.Text.Json.Nodes;
using IotPlayground.Domain;
using IotPlayground.Lambda.Runtime;

namespace IotPlayground.Lambda.Tests;

public sealed class ApiGatewayInvocationHandlerTests : IDisposable
{
    private static readonly LambdaContext Context = new("req-42", DateTimeOffset.UtcNow.AddSeconds(30), null);
    private readonly StringWriter _output = new();
    private IReadOnlyList<JsonObject> _logLines = [];
    private string? _requestId;

    [Fact]
    public async Task AFunctionThatThrowsAnswersA500ProblemAndLogsTheError()
    {
        var response = await InvokeAsync(_ => throw new InvalidOperationException("bug"));

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
        var response = await InvokeAsync(_ => throw new StoreUnavailableException("down", new IOException()));

        Assert.Equal(503, response.StatusCode);
        Assert.Equal("unavailable", (string?)JsonNode.Parse(response.Body)!["code"]);
    }

    [Fact]
    public async Task EveryRequestIsLoggedWithItsRequestId()
    {
        await InvokeAsync(_ => new ApiGatewayProxyResponse { StatusCode = 204 });

        var line = Assert.Single(LogLines());
        Assert.Equal("request", (string?)line["message"]);
        Assert.Equal(_requestId, (string?)line["requestId"]);
        Assert.Equal("test-api", (string?)line["service"]);
        Assert.Equal(204, (int?)line["status"]);
        Assert.Equal("/api/runs", (string?)line["path"]);
    }

    [Fact]
    public async Task TheFrontendsOriginIsAllowedWhenConfigured()
    {
        var response = await InvokeAsync(_ => new ApiGatewayProxyResponse { StatusCode = 200 }, cors: "https://app-iot.example.com");

        Assert.Equal("https://app-iot.example.com", response.Headers["Access-Control-Allow-Origin"]);
        Assert.Equal("X-Truncated", response.Headers["Access-Control-Expose-Headers"]);
    }

    [Fact]
    public async Task AnEventThatIsNotAProxyRequestIsAnInvocationError()
    {
        var handler = new ApiGatewayInvocationHandler(new Function(_ => new ApiGatewayProxyResponse { StatusCode = 200 }), Log(), null);

        await Assert.ThrowsAsync<JsonException>(() =>
            handler.HandleAsync(new Invocation("req", DateTimeOffset.UtcNow, null, null, """{"source":"aws.events"}"""u8.ToArray()), Context, default));
    }

    [Fact]
    public async Task AnEventBridgeScheduleRunsTheFunctionsPeriodicWork()
    {
        var function = new ScheduledFunction();
        var handler = new ApiGatewayInvocationHandler(function, Log(), null);
        var schedule = """{"source":"aws.events","detail-type":"Scheduled Event","detail":{}}"""u8.ToArray();

        await handler.HandleAsync(new Invocation("req", DateTimeOffset.UtcNow, null, null, schedule), Context, default);

        Assert.Equal(1, function.Runs);
    }

    public void Dispose() => _output.Dispose();

    /// <summary>One proxy event through the whole runtime loop, as Lambda would deliver it.</summary>
    private async Task<ApiGatewayProxyResponse> InvokeAsync(Func<ApiGatewayProxyRequest, ApiGatewayProxyResponse> function, string? cors = null)
    {
        await using var runtime = await InProcessRuntime.StartAsync("test-api");
        runtime.Run(() => new ApiGatewayInvocationHandler(new Function(function), runtime.Log, cors));
        var request = new ApiGatewayProxyRequest { HttpMethod = "GET", Path = "/api/runs", Resource = "/api/runs" };

        var result = await runtime.InvokeAsync(JsonSerializer.Serialize(request, LambdaJson.Default.ApiGatewayProxyRequest));

        Assert.Equal(0, await runtime.StopAsync());
        _requestId = result.RequestId;
        _logLines = runtime.LogLines;
        return JsonSerializer.Deserialize(result.Body, LambdaJson.Default.ApiGatewayProxyResponse)!;
    }

    private JsonLog Log() => new(_output, "test-api", TimeProvider.System);

    /// <summary>What the last <see cref="InvokeAsync"/> logged.</summary>
    private IReadOnlyList<JsonObject> LogLines() => _logLines;

    private sealed class ScheduledFunction : IApiGatewayFunction, IScheduledFunction
    {
        public int Runs { get; private set; }

        public Task<ApiGatewayProxyResponse> HandleAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Not an HTTP request.");

        public Task RunScheduledAsync(CancellationToken cancellationToken)
        {
            Runs++;
            return Task.CompletedTask;
        }
    }

    private sealed class Function(Func<ApiGatewayProxyRequest, ApiGatewayProxyResponse> handle) : IApiGatewayFunction
    {
        public Task<ApiGatewayProxyResponse> HandleAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken) =>
            Task.FromResult(handle(request));
    }
}
