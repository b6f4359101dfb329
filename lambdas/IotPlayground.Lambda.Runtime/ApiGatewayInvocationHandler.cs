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

/// <summary>A function that also has periodic work, started by an EventBridge schedule that targets it.</summary>
public interface IScheduledFunction
{
    Task RunScheduledAsync(CancellationToken cancellationToken);
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
        var watch = Stopwatch.StartNew();
        var request = JsonSerializer.Deserialize(invocation.Payload, LambdaJson.Default.ApiGatewayProxyRequest);
        if (request?.HttpMethod is null || request.Path is null)
        {
            return await RunScheduledAsync(invocation, watch, cancellationToken).ConfigureAwait(false);
        }

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

    /// <summary>A failure here is an invocation error: Lambda counts it in the function's Errors and the schedule retries.</summary>
    private async Task<byte[]> RunScheduledAsync(Invocation invocation, Stopwatch watch, CancellationToken cancellationToken)
    {
        var scheduled = JsonSerializer.Deserialize(invocation.Payload, LambdaJson.Default.ScheduledEvent);
        if (function is not IScheduledFunction work || scheduled?.Source != ScheduledEvent.EventBridgeSource)
        {
            throw new JsonException("The event is neither an API Gateway proxy request nor a schedule this function has work for.");
        }

        await work.RunScheduledAsync(cancellationToken).ConfigureAwait(false);
        log.Info("scheduled", json =>
        {
            json.WriteString("detailType", scheduled.DetailType);
            json.WriteNumber("durationMs", Math.Round(watch.Elapsed.TotalMilliseconds, 1));
        });
        return "{}"u8.ToArray();
    }
}
