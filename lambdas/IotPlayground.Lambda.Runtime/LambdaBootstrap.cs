namespace IotPlayground.Lambda.Runtime;

/// <summary>Handles one invocation's payload and returns the function's response document.</summary>
public interface IInvocationHandler
{
    Task<byte[]> HandleAsync(Invocation invocation, LambdaContext context, CancellationToken cancellationToken);
}

/// <summary>
/// The custom runtime's loop: initialize once, then take invocations one at a time from the Runtime API and answer
/// each. A failed initialization is reported as an init error; a failed invocation as an invocation error, after
/// which the loop goes on. This file is what Amazon.Lambda.RuntimeSupport's LambdaBootstrap would replace.
/// </summary>
public static class LambdaBootstrap
{
    /// <summary>Time left to report an answer after the handler's token is cancelled, before Lambda ends the invocation.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    private const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Runs an API Gateway function in this process: the whole of a function's Program.cs.</summary>
    public static Task<int> RunAsync(string service, Func<JsonLog, IApiGatewayFunction> initialize)
    {
        ArgumentNullException.ThrowIfNull(initialize);
        var log = JsonLog.Console(service);
        var cors = Environment.GetEnvironmentVariable(ApiGatewayInvocationHandler.CorsOriginVariable);
        return RunAsync(
            () => new ApiGatewayInvocationHandler(initialize(log), log, cors),
            RuntimeApiClient.FromEnvironment(),
            log,
            TimeProvider.System,
            CancellationToken.None);
    }

    /// <returns>The process exit code: non-zero when initialization failed.</returns>
    public static async Task<int> RunAsync(
        Func<IInvocationHandler> initialize, RuntimeApiClient api, JsonLog log, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(initialize);
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(log);
        IInvocationHandler handler;
        try
        {
            handler = initialize();
        }
        catch (Exception ex)
        {
            log.Error("init_failed", ex);
            await api.ReportInitErrorAsync(ex, cancellationToken).ConfigureAwait(false);
            return 1;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            Invocation invocation;
            try
            {
                invocation = await api.NextAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            await HandleAsync(handler, invocation, api, log, clock, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task HandleAsync(
        IInvocationHandler handler, Invocation invocation, RuntimeApiClient api, JsonLog log, TimeProvider clock, CancellationToken cancellationToken)
    {
        var context = new LambdaContext(invocation.RequestId, invocation.Deadline, invocation.FunctionArn);
        LambdaContext.Current = context;
        if (invocation.TraceId is not null)
        {
            Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        }

        var left = context.RemainingTime(clock) - DeadlineMargin;
        using var deadline = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, clock);
        using var token = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        byte[] response;
        try
        {
            response = await handler.HandleAsync(invocation, context, token.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            log.Error("invocation_failed", ex);
            await api.ReportInvocationErrorAsync(invocation.RequestId, ex, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await api.RespondAsync(invocation.RequestId, response, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is { } status && (int)status is >= 400 and < 500)
        {
            // Refused, e.g. over Lambda's 6 MB response limit: the caller is told of a failure rather than left waiting.
            log.Error("response_refused", ex);
            await api.ReportInvocationErrorAsync(invocation.RequestId, ex, cancellationToken).ConfigureAwait(false);
        }
    }
}
