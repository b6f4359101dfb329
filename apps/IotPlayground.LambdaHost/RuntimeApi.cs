namespace IotPlayground.LambdaHost;

/// <summary>
/// The Lambda Runtime API, served to each bootstrap process under /_lambda/{function}/{instance}, so that the host
/// knows which instance holds which invocation.
/// </summary>
public static partial class RuntimeApi
{
    public static void MapRuntimeApi(this IEndpointRouteBuilder app)
    {
        var runtime = app.MapGroup("/_lambda/{function}/{instance:int}/2018-06-01/runtime").ExcludeFromDescription();
        runtime.MapGet("/invocation/next", Next);
        runtime.MapPost("/invocation/{requestId}/response", (string function, int instance, string requestId, HttpRequest request, LocalFunctions functions) =>
            CompleteAsync(function, instance, requestId, InvocationOutcome.Responded, request, functions));
        runtime.MapPost("/invocation/{requestId}/error", (string function, int instance, string requestId, HttpRequest request, LocalFunctions functions) =>
            CompleteAsync(function, instance, requestId, InvocationOutcome.FunctionError, request, functions));
        runtime.MapPost("/init/error", InitError);
    }

    private static async Task<IResult> Next(
        string function, int instance, HttpResponse response, LocalFunctions functions, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (functions.Find(function) is not { } target || await target.NextAsync(instance, clock, cancellationToken) is not { } invocation)
        {
            return Results.NotFound();
        }

        response.Headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        response.Headers["Lambda-Runtime-Deadline-Ms"] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = $"arn:aws:lambda:local:000000000000:function:{function}";
        return Results.Bytes(invocation.Payload, "application/json");
    }

    private static async Task<IResult> CompleteAsync(
        string function, int instance, string requestId, InvocationOutcome outcome, HttpRequest request, LocalFunctions functions)
    {
        if (functions.Find(function) is not { } target)
        {
            return Results.NotFound();
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        return target.Complete(instance, requestId, new InvocationResult(outcome, body.ToArray()))
            ? Results.Accepted()
            : Results.NotFound();
    }

    private static async Task<IResult> InitError(string function, HttpRequest request, ILogger<LocalFunction> logger)
    {
        using var reader = new StreamReader(request.Body);
        var error = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        LogInitError(logger, function, error);
        return Results.Accepted();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Function} failed to initialize: {Error}")]
    private static partial void LogInitError(ILogger logger, string function, string error);
}
