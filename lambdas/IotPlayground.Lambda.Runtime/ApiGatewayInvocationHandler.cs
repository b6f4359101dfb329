using System.Diagnostics;
using System.Text.Json;
using IotPlayground.Contract;
using IotPlayground.Domain;

namespace IotPlayground.Lambda.Runtime;

/// <summary>A function behind an API Gateway REST API with Lambda proxy integration.</summary>
public interface IApiGatewayFunction
{
    Task<ApiGatewayProxyResponse> HandleAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// Reads the proxy event, runs the function and writes its response. Whatever the function throws, the caller gets a
/// problem (503 for an unreachable store, as the container API answers; 500 otherwise) and the log gets the error:
/// an invocation error would reach the client as API Gateway's bare 502.
/// </summary>
public sealed class ApiGatewayInvocationHandler(IApiGatewayFunction function, JsonLog log, string? corsOrigin) : IInvocationHandler
{
    /// <summary>The web frontend's origin, set by the CDK; unset when the frontend is served from the API's own origin.</summary>
    public const string CorsOriginVariable = "CORS_ALLOWED_ORIGIN";

    public async Task<byte[]> HandleAsync(Invocation invocation, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var request = JsonSerializer.Deserialize(invocation.Payload, LambdaJson.Default.ApiGatewayProxyRequest);
        if (request?.HttpMethod is null || request.Path is null)
        {
            throw new JsonException("The event is not an API Gateway proxy request: it has no httpMethod or path.");
        }

        var watch = Stopwatch.StartNew();
        ApiGatewayProxyResponse response;
        try
        {
            response = await function.HandleAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            log.Warn("store_unavailable", json => json.WriteString("reason", ex.Message));
            response = ProxyResponses.Problem(Problems.Unavailable());
        }
        catch (Exception ex)
        {
            log.Error("request_failed", ex);
            response = ProxyResponses.Problem(Problems.Internal());
        }

        if (corsOrigin is { Length: > 0 })
        {
            response.Headers["Access-Control-Allow-Origin"] = corsOrigin;
            response.Headers["Access-Control-Expose-Headers"] = "X-Truncated";
            response.Headers["Vary"] = "Origin";
        }

        log.Info("request", json =>
        {
            json.WriteString("method", request.HttpMethod);
            json.WriteString("path", request.Path);
            json.WriteNumber("status", response.StatusCode);
            json.WriteNumber("durationMs", Math.Round(watch.Elapsed.TotalMilliseconds, 1));
        });
        return JsonSerializer.SerializeToUtf8Bytes(response, LambdaJson.Default.ApiGatewayProxyResponse);
    }
}
