using System.Net;

namespace IotPlayground.Lambda.Runtime;

/// <summary>Handles one invocation's payload and returns the function's response document.</summary>
public interface IInvocationHandler
{
    Task<byte[]> HandleAsync(Invocation invocation, LambdaContext context, CancellationToken cancellationToken);
}

/// <summary>
/// The custom runtime's loop: initialize once, then take invocations one at a time from the Runtime API and answer
/// each. A failed initialization is reported as an init error; a failed invocation as an invocation error, after
/// which the loop goes on. An answer the Runtime API refuses (the invocation timed out or is unknown to it, the
/// response is too large) is logged and the loop goes on too: the invocation is over either way. Only a failed
/// <c>/next</c> ends the process, as the Runtime API documents (a 500 there means the environment is broken; no
/// answer at all means there is no Runtime API left to serve).
/// This file is what Amazon.Lambda.RuntimeSupport's LambdaBootstrap would replace.
/// </summary>
public static class LambdaBootstrap
{
    /// <summary>Time left to report an answer after the handler's token is cancelled, before Lambda ends the invocation.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    private const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Runs a function in this process, against the Runtime API Lambda names: the whole of a function's Program.cs.</summary>
    public static Task<int> RunAsync(string service, Func<JsonLog, IInvocationHandler> initialize)
    {
        ArgumentNullException.ThrowIfNull(initialize);
        var log = JsonLog.Console(service);
        return RunAsync(
            () => initialize(log),
            RuntimeApiClient.FromEnvironment(),
            log,
            TimeProvider.System,
            CancellationToken.None);
    }

    /// <returns>The process exit code: non-zero when initialization or the Runtime API failed.</returns>
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
            catch (HttpRequestException ex)
            {
                log.Error("next_failed", ex);
                return 1;
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
            await TryPostAsync(() => api.ReportInvocationErrorAsync(invocation.RequestId, ex, cancellationToken), "error_refused", log).ConfigureAwait(false);
            return;
        }

        try
        {
            await api.RespondAsync(invocation.RequestId, response, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.RequestEntityTooLarge)
        {
            // Over Lambda's 6 MB response limit: the caller is told of a failure rather than left waiting.
            log.Error("response_refused", ex);
            await TryPostAsync(() => api.ReportInvocationErrorAsync(invocation.RequestId, ex, cancellationToken), "error_refused", log).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            // Too late (the invocation timed out or its caller went away) or not reachable: nothing is left to answer.
            log.Error("response_refused", ex);
        }
    }

    /// <summary>Posts, and logs rather than throws when the Runtime API refuses the post or cannot be reached.</summary>
    private static async Task TryPostAsync(Func<Task> post, string failure, JsonLog log)
    {
        try
        {
            await post().ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            log.Error(failure, ex);
        }
    }
}
