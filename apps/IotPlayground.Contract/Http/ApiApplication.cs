using IotPlayground.Domain;

namespace IotPlayground.Contract.Http;

/// <summary>
/// The HTTP application as a host without a router of its own serves it (a Lambda function): finds the route of a
/// request among <paramref name="routes"/>, runs it, and answers a path or method it has no route for with the
/// contract's 404 problem. With <paramref name="corsOrigin"/>, every answer carries <see cref="CorsRule"/>'s headers
/// for that origin, as behind API Gateway, which answers the preflight itself.
/// </summary>
public sealed class ApiApplication<THandlers>(IReadOnlyList<ApiRoute<THandlers>> routes, THandlers handlers, string? corsOrigin)
{
    public async Task<ApiResponse> HandleAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var segments = ApiRoute.Segments(request.Path);
        ApiRoute<THandlers>? match = null;
        Dictionary<string, string>? matchValues = null;
        foreach (var route in routes)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);

            // A literal segment wins over a parameter, as in ASP.NET Core: /api/runs/all is not the run "all".
            if (route.Method == request.Method && route.Matches(segments, values) && (matchValues is null || values.Count < matchValues.Count))
            {
                (match, matchValues) = (route, values);
            }
        }

        var response = match is null
            ? ApiResponse.Problem(Problems.RouteNotFound(request.Method, request.Path))
            : await match.InvokeAsync(handlers, request, matchValues!, cancellationToken).ConfigureAwait(false);
        return WithCors(response);
    }

    /// <summary>The answer to a request whose handler threw: 503 for an unreachable store, 500 without internals otherwise.</summary>
    public ApiResponse Failed(Exception exception) => WithCors(ApiResponse.Problem(Problems.ForException(exception)));

    private ApiResponse WithCors(ApiResponse response) =>
        corsOrigin is { Length: > 0 } origin ? response.With(CorsRule.ResponseHeaders(origin)) : response;
}
