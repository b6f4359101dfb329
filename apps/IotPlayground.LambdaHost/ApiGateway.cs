using System.Text;
using System.Text.Json;
using IotPlayground.Contract;
using IotPlayground.Lambda.Runtime;
using IotPlayground.LambdaEmulator;

namespace IotPlayground.LambdaHost;

/// <summary>
/// API Gateway as the serverless stack defines it: the same resources, each turned into the REST proxy event that
/// API Gateway sends, and the function's proxy response turned back into HTTP.
/// </summary>
public static class ApiGateway
{
    public static void MapApiGateway(this IEndpointRouteBuilder app)
    {
        app.Map("/api/runs", context => ForwardAsync(context, "/api/runs", f => f.Run));
        app.Map("/api/runs/{**proxy}", context => ForwardAsync(context, "/api/runs/{proxy+}", f => f.Run));
        app.Map("/api/sensors/{**proxy}", context => ForwardAsync(context, "/api/sensors/{proxy+}", f => f.Sensor));
        app.MapGet("/health", context => ForwardAsync(context, "/health", f => f.Run));

        // Where the stack has no resource, the API's gateway response answers with the contract's problem.
        app.MapFallback(context => WriteAsync(context.Response, ProxyResponses.RouteNotFound(new ApiGatewayProxyRequest
        {
            HttpMethod = context.Request.Method,
            Path = context.Request.Path,
        })));
    }

    private static async Task ForwardAsync(HttpContext context, string resource, Func<LocalFunctions, EmulatedFunction> route)
    {
        var functions = context.RequestServices.GetRequiredService<LocalFunctions>();
        var payload = JsonSerializer.SerializeToUtf8Bytes(await ToEventAsync(context, resource), LambdaJson.Default.ApiGatewayProxyRequest);
        var result = await route(functions).InvokeAsync(payload, functions.Timeout, context.RequestAborted);
        var response = result.Outcome == InvocationOutcome.Responded
            ? JsonSerializer.Deserialize(result.Body, LambdaJson.Default.ApiGatewayProxyResponse)
            : null;

        // What API Gateway answers when the integration fails: a function error or a malformed response is a 502.
        await WriteAsync(context.Response, response ?? result.Outcome switch
        {
            InvocationOutcome.TimedOut => GatewayMessage(504, "Endpoint request timed out"),
            _ => GatewayMessage(502, "Internal server error"),
        });
    }

    private static async Task<ApiGatewayProxyRequest> ToEventAsync(HttpContext context, string resource)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        var isText = body.Length == 0 || System.Text.Unicode.Utf8.IsValid(body);
        return new ApiGatewayProxyRequest
        {
            Resource = resource,
            Path = request.Path,
            HttpMethod = request.Method,
            Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            QueryStringParameters = request.Query.Count == 0 ? null : request.Query.ToDictionary(q => q.Key, q => q.Value[^1] ?? ""),
            PathParameters = request.RouteValues.TryGetValue("proxy", out var proxy) && proxy is string p ? new() { ["proxy"] = p } : null,
            RequestContext = new ProxyRequestContext { RequestId = context.TraceIdentifier, Stage = "local", ResourcePath = resource },
            Body = body.Length == 0 ? null : isText ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body),
            IsBase64Encoded = !isText,
        };
    }

    private static async Task WriteAsync(HttpResponse http, ApiGatewayProxyResponse response)
    {
        http.StatusCode = response.StatusCode;
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        var body = response.IsBase64Encoded ? Convert.FromBase64String(response.Body) : Encoding.UTF8.GetBytes(response.Body);
        http.ContentLength = body.Length;
        await http.Body.WriteAsync(body, http.HttpContext.RequestAborted);
    }

    private static ApiGatewayProxyResponse GatewayMessage(int statusCode, string message) => new()
    {
        StatusCode = statusCode,
        Headers = new() { ["Content-Type"] = "application/json" },
        Body = $$"""{"message":"{{message}}"}""",
    };
}
