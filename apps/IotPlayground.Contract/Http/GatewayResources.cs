namespace IotPlayground.Contract.Http;

/// <summary>An API Gateway resource with Lambda proxy integration: its path, its method (or ANY) and its function.</summary>
public sealed record GatewayResource(string Path, string Method, string Function)
{
    public const string AnyMethod = "ANY";
    public const string ProxySegment = "{proxy+}";

    public bool IsProxy => Path.EndsWith("/" + ProxySegment, StringComparison.Ordinal);
}

/// <summary>
/// The API Gateway resources that reach every route of <see cref="ApiRoutes"/> and nothing else, as the CDK creates
/// them and the local host serves them. A function's routes of one segment (<c>/health</c>) get a resource of their
/// own with their own methods; its other routes share a proxy resource under their first two segments
/// (<c>/api/runs/{proxy+}</c>), plus that prefix itself (any method) where a route is the prefix (<c>GET /api/runs</c>).
/// The function then answers a path or method it has no route for with the contract's 404 problem.
/// </summary>
public static class GatewayResources
{
    public static IReadOnlyList<GatewayResource> All { get; } = Derive(ApiRoutes.All);

    public static IReadOnlyList<GatewayResource> Derive(IEnumerable<ApiRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var resources = new List<GatewayResource>();
        foreach (var route in routes)
        {
            var segments = ApiRoute.Segments(route.Path);
            if (segments.Any(ApiRoute.IsParameter) && segments.Length <= 2)
            {
                throw new InvalidOperationException($"{route.Path}: a path parameter must come after the route's first two segments.");
            }

            if (segments.Length == 1)
            {
                resources.Add(new GatewayResource(route.Path, route.Method, route.Function));
                continue;
            }

            var prefix = "/" + string.Join('/', segments.Take(2));
            resources.Add(segments.Length == 2
                ? new GatewayResource(prefix, GatewayResource.AnyMethod, route.Function)
                : new GatewayResource($"{prefix}/{GatewayResource.ProxySegment}", GatewayResource.AnyMethod, route.Function));
        }

        var distinct = resources.Distinct().ToList();
        var shared = distinct.GroupBy(r => (r.Path, r.Method)).FirstOrDefault(g => g.Count() > 1);
        return shared is null
            ? distinct
            : throw new InvalidOperationException($"{shared.Key.Method} {shared.Key.Path} would route to {string.Join(" and ", shared.Select(r => r.Function))}.");
    }
}
