using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using Microsoft.AspNetCore.Diagnostics;

namespace IotPlayground.Api.Endpoints;

/// <summary>An unreachable store is a 503 the client may retry; any other failure a 500 without internals.</summary>
public sealed partial class ProblemExceptionHandler(ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var problem = exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
            ? Problems.BodyTooLarge(RequestBodies.MaxBytes)
            : Problems.ForException(exception);
        if (problem.Status >= 500)
        {
            LogFailure(exception, httpContext.Request.Method, httpContext.Request.Path);
        }

        await ContractEndpoints.WriteAsync(httpContext.Response, ApiResponse.Problem(problem));
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private partial void LogFailure(Exception exception, string method, string path);
}
