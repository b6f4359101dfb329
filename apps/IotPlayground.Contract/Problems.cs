using IotPlayground.Domain;

namespace IotPlayground.Contract;

/// <summary>How a refusal reads on the wire: the same status, title and code on every backend.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static ProblemResource From(DomainError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (status, title) = error.Code switch
        {
            ErrorCode.ValidationFailed => (400, "The request is invalid."),
            // The original clients expect 400 when the quota is reached.
            ErrorCode.QuotaExceeded => (400, "The run quota is reached."),
            ErrorCode.InvalidUser => (400, $"The {HeaderNames.User} header is missing or invalid."),
            ErrorCode.NotOwner => (403, "Only the run's owner may do this."),
            ErrorCode.RunNotFound => (404, "The run does not exist."),
            ErrorCode.RunNotRunning => (409, "The run is not running."),
            ErrorCode.Unavailable => (503, "The store is unavailable."),
            _ => throw new ArgumentOutOfRangeException(nameof(error), error.Code, "Unknown error code."),
        };
        return Create(status, title, error.Code, error.Detail, error.Errors);
    }

    public static ProblemResource Unavailable() =>
        From(new DomainError(ErrorCode.Unavailable, "The store cannot be reached; nothing was stored. Try again shortly."));

    public static ProblemResource BodyTooLarge(int maxBytes) =>
        Create(413, "The request body is too large.", ErrorCode.ValidationFailed, $"The body must not exceed {maxBytes} bytes.");

    public static ProblemResource UnsupportedMediaType(string? contentType) =>
        Create(
            415,
            "The request body must be JSON.",
            ErrorCode.ValidationFailed,
            contentType is null
                ? $"The request has no {HeaderNames.ContentType} header; send the body as {RequestBodies.MediaType}."
                : $"The body is sent as {contentType}; send it as {RequestBodies.MediaType}.");

    public static ProblemResource RouteNotFound(string method, string path) =>
        Create(404, "No such endpoint.", ErrorCode.ValidationFailed, $"{method} {path} is not part of this API.");

    /// <summary>What a request whose handling threw answers: the store's outage is one the client may retry.</summary>
    public static ProblemResource ForException(Exception exception) =>
        exception is StoreUnavailableException ? Unavailable() : Internal();

    /// <summary>What a caller sees of a bug: no internals, and a 500 rather than a dead process.</summary>
    public static ProblemResource Internal() =>
        new("about:blank", "Internal Server Error", 500, "The request failed unexpectedly; it was logged.", "internal_error");

    public static string CodeOf(ErrorCode code) => code switch
    {
        ErrorCode.ValidationFailed => "validation_failed",
        ErrorCode.QuotaExceeded => "quota_exceeded",
        ErrorCode.RunNotFound => "run_not_found",
        ErrorCode.RunNotRunning => "run_not_running",
        ErrorCode.NotOwner => "not_owner",
        ErrorCode.InvalidUser => "invalid_user",
        ErrorCode.Unavailable => "unavailable",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Unknown error code."),
    };

    private static ProblemResource Create(
        int status, string title, ErrorCode code, string detail, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var wireCode = CodeOf(code);
        return new ProblemResource($"urn:iot-playground:problem:{wireCode}", title, status, detail, wireCode, errors);
    }
}
