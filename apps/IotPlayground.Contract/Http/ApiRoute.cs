using IotPlayground.Domain;

namespace IotPlayground.Contract.Http;

/// <summary>One answer a route may give: its status, its body's types and, for a problem, the codes it may carry.</summary>
public sealed record ResponseSpec(int Status, IReadOnlyList<Type> Bodies, IReadOnlyList<ErrorCode> Codes)
{
    /// <summary>Headers the answer may carry, such as <see cref="HeaderNames.Truncated"/>.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    public bool IsProblem => Codes.Count > 0;

    public string ContentType => IsProblem ? Problems.ContentType : "application/json";

    public static ResponseSpec Success(int status, params Type[] bodies) => new(status, bodies, []);

    public static ResponseSpec Problem(int status, params ErrorCode[] codes) => new(status, [typeof(ProblemResource)], codes);
}

/// <summary>A query parameter a route reads; every one is a string on the wire.</summary>
public sealed record QueryParameter(string Name, string Description, bool Required = false);

/// <summary>
/// What the contract says of one route: enough to serve it on every host, to route to it in API Gateway, and to
/// describe it in an OpenAPI document.
/// </summary>
public abstract record ApiRoute
{
    /// <summary>The Lambda function that serves the route (<see cref="ApiFunctions"/>); the container API serves them all.</summary>
    public required string Function { get; init; }

    public required string Method { get; init; }

    /// <summary>The route's template, e.g. <c>/api/runs/{id}/finish</c>; a <c>{name}</c> segment is a path parameter.</summary>
    public required string Path { get; init; }

    public required string OperationId { get; init; }

    public required string Summary { get; init; }

    public required string Tag { get; init; }

    /// <summary>The success answer first, then every problem the route may answer.</summary>
    public required IReadOnlyList<ResponseSpec> Responses { get; init; }

    /// <summary>The JSON bodies the route accepts (one of them); empty when it reads none.</summary>
    public IReadOnlyList<Type> RequestBodies { get; init; } = [];

    /// <summary>Whether the caller must name itself in <see cref="HeaderNames.User"/>; only such a route may read it.</summary>
    public bool RequiresUser { get; init; }

    public IReadOnlyList<QueryParameter> Query { get; init; } = [];

    public ResponseSpec Success => Responses[0];

    public IReadOnlyList<string> PathParameters =>
        [.. Segments(Path).Where(IsParameter).Select(s => s[1..^1])];

    /// <summary>The path's segments, so that a trailing or doubled slash routes as API Gateway's proxy paths do.</summary>
    public static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    public static bool IsParameter(string segment) => segment is ['{', .., '}'];

    /// <summary>Whether <paramref name="segments"/> is this route's path; its parameters' values go to <paramref name="values"/>.</summary>
    public bool Matches(string[] segments, Dictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(values);
        var template = Segments(Path);
        if (template.Length != segments.Length)
        {
            return false;
        }

        for (var i = 0; i < template.Length; i++)
        {
            if (IsParameter(template[i]))
            {
                values[template[i][1..^1]] = segments[i];
            }
            else if (!string.Equals(template[i], segments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A route with the handler that answers it, given the handlers of its function.</summary>
public sealed record ApiRoute<THandlers> : ApiRoute
{
    private static readonly string[] GivenMoreThanOnce = ["must be given once"];

    public required Func<THandlers, RouteCall, CancellationToken, Task<ApiResponse>> Handle { get; init; }

    /// <summary>
    /// Checks what the route declares of every request (its body's size and media type, each of its query parameters
    /// given once), then runs its handler.
    /// </summary>
    public Task<ApiResponse> InvokeAsync(
        THandlers handlers, ApiRequest request, IReadOnlyDictionary<string, string> pathValues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RequestBodies.Count > 0 && request.Body.Length > Contract.RequestBodies.MaxBytes)
        {
            return Task.FromResult(ApiResponse.Problem(Problems.BodyTooLarge(Contract.RequestBodies.MaxBytes)));
        }

        if (RequestBodies.Count > 0 && request.Header(HeaderNames.ContentType) is var contentType && !Contract.RequestBodies.IsJson(contentType))
        {
            return Task.FromResult(ApiResponse.Problem(Problems.UnsupportedMediaType(contentType)));
        }

        var repeated = Query.Where(q => request.Query.GetValueOrDefault(q.Name)?.Count > 1).ToList();
        if (repeated.Count > 0)
        {
            return Task.FromResult(ApiResponse.Problem(Problems.From(new DomainError(
                ErrorCode.ValidationFailed,
                "One or more fields are invalid.",
                repeated.ToDictionary(q => q.Name, _ => GivenMoreThanOnce, StringComparer.Ordinal)))));
        }

        return Handle(handlers, new RouteCall(this, request, pathValues), cancellationToken);
    }
}

/// <summary>One request to one route, as its handler reads it.</summary>
public sealed class RouteCall(ApiRoute route, ApiRequest request, IReadOnlyDictionary<string, string> pathValues)
{
    public ApiRequest Request => request;

    public ReadOnlySpan<byte> Body => request.Body.Span;

    public string PathValue(string name) => pathValues[name];

    public string? Query(string name) => request.QueryValue(name);

    /// <summary>The caller named in <see cref="HeaderNames.User"/>, for a route that declares it requires one.</summary>
    public Outcome<UserName> User() =>
        route.RequiresUser
            ? RequestParsing.User(request.Header(HeaderNames.User))
            : throw new InvalidOperationException($"{route.Method} {route.Path} does not declare {HeaderNames.User}, so it may not read it.");
}
