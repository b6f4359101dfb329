using IotPlayground.Contract;
using IotPlayground.Domain;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IotPlayground.Api.Endpoints;

/// <summary>Every JSON answer is written with the contract's own serializer context, so both backends answer alike.</summary>
public static class ProblemResults
{
    public static JsonHttpResult<ProblemResource> Problem(ProblemResource problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return TypedResults.Json(problem, ContractJson.Wire.ProblemResource, Problems.ContentType, problem.Status);
    }

    public static JsonHttpResult<ProblemResource> Problem(DomainError error) => Problem(Problems.From(error));

    public static JsonHttpResult<ProblemResource> RouteNotFound(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Problem(Problems.RouteNotFound(request.Method, request.Path));
    }
}

/// <summary>An unreachable store is a 503 the client may retry; any other failure a 500 without internals.</summary>
public sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var problem = exception switch
        {
            StoreUnavailableException => Problems.Unavailable(),
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problems.BodyTooLarge(RequestBodies.MaxBytes),
            _ => Problems.Internal(),
        };
        if (problem.Status >= 500)
        {
            LogFailure(exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        await ProblemResults.Problem(problem).ExecuteAsync(httpContext);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private partial void LogFailure(Exception exception, string method, string path);
}
