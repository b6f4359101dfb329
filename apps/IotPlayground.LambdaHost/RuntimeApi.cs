namespace IotPlayground.LambdaHost;

/// <summary>The Lambda Runtime API, served to the bootstrap processes of each function under /_lambda/{function}.</summary>
public static partial class RuntimeApi
{
    public static void MapRuntimeApi(this IEndpointRouteBuilder app)
    {
        var runtime = app.MapGroup("/_lambda/{function}/2018-06-01/runtime").ExcludeFromDescription();
        runtime.MapGet("/invocation/next", Next);
        runtime.MapPost("/invocation/{requestId}/response", (string function, string requestId, HttpRequest request, LocalFunctions functions) =>
            CompleteAsync(function, requestId, InvocationOutcome.Responded, request, functions));
        runtime.MapPost("/invocation/{requestId}/error", (string function, string requestId, HttpRequest request, LocalFunctions functions) =>
            CompleteAsync(function, requestId, InvocationOutcome.FunctionError, request, functions));
        runtime.MapPost("/init/error", InitError);
    }

    private static async Task<IResult> Next(string function, HttpResponse response, LocalFunctions functions, CancellationToken cancellationToken)
    {
        if (functions.Find(function) is not { } target)
        {
            return Results.NotFound();
        }

        var invocation = await target.NextAsync(cancellationToken);
        response.Headers["Lambda-Runtime-Aws-Request-Id"] = invocation.RequestId;
        response.Headers["Lambda-Runtime-Deadline-Ms"] = invocation.Deadline.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = $"arn:aws:lambda:local:000000000000:function:{function}";
        return Results.Bytes(invocation.Payload, "application/json");
    }

    private static async Task<IResult> CompleteAsync(
        string function, string requestId, InvocationOutcome outcome, HttpRequest request, LocalFunctions functions)
    {
        if (functions.Find(function) is not { } target)
        {
            return Results.NotFound();
        }

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        return target.Complete(requestId, new InvocationResult(outcome, body.ToArray()))
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
