using System.Text;
using System.Text.Json;
using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using IotPlayground.Lambda.Runtime;
using IotPlayground.LambdaEmulator;

namespace IotPlayground.LambdaHost;

/// <summary>
/// API Gateway as the serverless stack defines it: the resources <see cref="GatewayResources"/> derives from the
/// contract's route table, each turned into the REST proxy event that API Gateway sends, and the function's proxy
/// response turned back into HTTP.
/// </summary>
public static class ApiGateway
{
    public static void MapApiGateway(this IEndpointRouteBuilder app)
    {
        foreach (var resource in GatewayResources.All)
        {
            // API Gateway's {proxy+} is one or more segments; ASP.NET Core's catch-all, one or more after the prefix.
            var pattern = resource.IsProxy ? resource.Path.Replace(GatewayResource.ProxySegment, "{**proxy}", StringComparison.Ordinal) : resource.Path;
            RequestDelegate forward = context => ForwardAsync(context, resource);
            if (resource.Method == GatewayResource.AnyMethod)
            {
                app.Map(pattern, forward);
            }
            else
            {
                app.MapMethods(pattern, [resource.Method], forward);
            }
        }

        // Where the stack has no resource, the API's gateway response answers with the contract's problem.
        app.MapFallback(context => WriteAsync(context.Response, ProblemResponse(context.Request.Method, context.Request.Path)));
    }

    private static async Task ForwardAsync(HttpContext context, GatewayResource resource)
    {
        var functions = context.RequestServices.GetRequiredService<LocalFunctions>();
        var function = functions.Find(resource.Function)
            ?? throw new InvalidOperationException($"The route table names a function {resource.Function} this host does not run.");
        var payload = JsonSerializer.SerializeToUtf8Bytes(await ToEventAsync(context, resource.Path), LambdaJson.Default.ApiGatewayProxyRequest);
        var result = await function.InvokeAsync(payload, functions.Timeout, context.RequestAborted);
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
            MultiValueQueryStringParameters = request.Query.Count == 0 ? null : request.Query.ToDictionary(q => q.Key, q => q.Value.Select(v => v ?? "").ToArray()),
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

    private static ApiGatewayProxyResponse ProblemResponse(string method, string path)
    {
        var problem = ApiResponse.Problem(Problems.RouteNotFound(method, path));
        return new ApiGatewayProxyResponse
        {
            StatusCode = problem.Status,
            Headers = new Dictionary<string, string>(problem.Headers),
            Body = Encoding.UTF8.GetString(problem.Body),
        };
    }

    private static ApiGatewayProxyResponse GatewayMessage(int statusCode, string message) => new()
    {
        StatusCode = statusCode,
        Headers = new() { [HeaderNames.ContentType] = "application/json" },
        Body = $$"""{"message":"{{message}}"}""",
    };
}
