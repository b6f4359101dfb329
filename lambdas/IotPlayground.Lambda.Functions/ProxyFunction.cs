using System.Diagnostics;
using System.Text;
using System.Text.Json;
using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using IotPlayground.Domain;
using IotPlayground.Lambda.Runtime;

namespace IotPlayground.Lambda.Functions;

/// <summary>
/// A function behind API Gateway (REST API, Lambda proxy integration): the proxy event becomes the HTTP application's
/// request, its answer the proxy response. Whatever the application throws, the caller gets a problem and the log
/// gets the error: an invocation error would reach the client as API Gateway's bare 502. An EventBridge schedule
/// that targets the function runs its <paramref name="scheduledWork"/>. The answer to the first invocation of an
/// instance (its cold start) carries <see cref="HeaderNames.ColdStart"/>, so that a client can tell, deployed or local.
/// </summary>
public sealed class ProxyFunction<THandlers>(ApiApplication<THandlers> application, JsonLog log, Func<CancellationToken, Task>? scheduledWork = null)
    : IInvocationHandler
{
    // Lambda hands an instance one invocation at a time.
    private bool _invokedBefore;

    public async Task<byte[]> HandleAsync(Invocation invocation, LambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var watch = Stopwatch.StartNew();
        var coldStart = !_invokedBefore;
        _invokedBefore = true;
        var proxyEvent = JsonSerializer.Deserialize(invocation.Payload, LambdaJson.Default.ApiGatewayProxyRequest);
        if (proxyEvent?.HttpMethod is null || proxyEvent.Path is null)
        {
            return await RunScheduledAsync(invocation, watch, cancellationToken).ConfigureAwait(false);
        }

        var response = await HandleAsync(proxyEvent, cancellationToken).ConfigureAwait(false);
        if (coldStart)
        {
            response.Headers[HeaderNames.ColdStart] = "true";
        }

        log.Info("request", json =>
        {
            json.WriteString("method", proxyEvent.HttpMethod);
            json.WriteString("path", proxyEvent.Path);
            json.WriteNumber("status", response.StatusCode);
            json.WriteNumber("durationMs", Math.Round(watch.Elapsed.TotalMilliseconds, 1));
        });
        return JsonSerializer.SerializeToUtf8Bytes(response, LambdaJson.Default.ApiGatewayProxyResponse);
    }

    public async Task<ApiGatewayProxyResponse> HandleAsync(ApiGatewayProxyRequest proxyEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proxyEvent);
        var request = new ApiRequest(
            proxyEvent.HttpMethod ?? "",
            proxyEvent.Path ?? "",
            proxyEvent.Headers ?? [],
            ApiRequest.QueryOf(QueryOf(proxyEvent)),
            proxyEvent.BodyBytes());
        ApiResponse response;
        try
        {
            response = await application.HandleAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            log.Warn("store_unavailable", json => json.WriteString("reason", ex.Message));
            response = application.Failed(ex);
        }
        catch (Exception ex)
        {
            log.Error("request_failed", ex);
            response = application.Failed(ex);
        }

        return new ApiGatewayProxyResponse
        {
            StatusCode = response.Status,
            Headers = new Dictionary<string, string>(response.Headers),
            Body = Encoding.UTF8.GetString(response.Body),
        };
    }

    public Task RunScheduledAsync(CancellationToken cancellationToken) =>
        scheduledWork?.Invoke(cancellationToken) ?? throw new InvalidOperationException("This function has no periodic work.");

    /// <summary>Every value of each query name: API Gateway sends them all beside the last, which is all an older event has.</summary>
    private static IEnumerable<KeyValuePair<string, IEnumerable<string>>> QueryOf(ApiGatewayProxyRequest proxyEvent) =>
        proxyEvent.MultiValueQueryStringParameters is { } all
            ? all.Select(q => KeyValuePair.Create(q.Key, (IEnumerable<string>)q.Value))
            : (proxyEvent.QueryStringParameters ?? []).Select(q => KeyValuePair.Create(q.Key, (IEnumerable<string>)[q.Value]));

    /// <summary>A failure here is an invocation error: Lambda counts it in the function's Errors and the schedule retries.</summary>
    private async Task<byte[]> RunScheduledAsync(Invocation invocation, Stopwatch watch, CancellationToken cancellationToken)
    {
        var scheduled = JsonSerializer.Deserialize(invocation.Payload, LambdaJson.Default.ScheduledEvent);
        if (scheduledWork is null || scheduled?.Source != ScheduledEvent.EventBridgeSource)
        {
            throw new JsonException("The event is neither an API Gateway proxy request nor a schedule this function has work for.");
        }

        await scheduledWork(cancellationToken).ConfigureAwait(false);
        log.Info("scheduled", json =>
        {
            json.WriteString("detailType", scheduled.DetailType);
            json.WriteNumber("durationMs", Math.Round(watch.Elapsed.TotalMilliseconds, 1));
        });
        return "{}"u8.ToArray();
    }
}
