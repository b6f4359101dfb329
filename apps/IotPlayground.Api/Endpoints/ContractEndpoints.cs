using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using IotPlayground.Domain;

namespace IotPlayground.Api.Endpoints;

/// <summary>
/// The contract's route table as ASP.NET Core endpoints: each request becomes the application's neutral request,
/// each answer is written as the handler gave it. Every route carries its <see cref="ApiRoute"/> as metadata, with
/// its operation id, summary, tag and responses, for the OpenAPI document.
/// </summary>
public static class ContractEndpoints
{
    public static void AddContractHandlers(this IServiceCollection services)
    {
        services.AddSingleton(sp => new RunHandlers(
            sp.GetRequiredService<RunService>(), sp.GetRequiredService<GrafanaLinks>(), sp.GetRequiredService<IStoreProbe>()));
        services.AddSingleton(sp => new SensorHandlers(sp.GetRequiredService<SensorDataService>(), sp.GetRequiredService<TimeProvider>()));
    }

    public static void MapContractApi(this IEndpointRouteBuilder app)
    {
        Map(app, ApiRoutes.RunApi);
        Map(app, ApiRoutes.SensorApi);
        app.MapFallback(context => WriteAsync(context.Response, ApiResponse.Problem(Problems.RouteNotFound(context.Request.Method, context.Request.Path))));
    }

    /// <summary>Writes an answer of the application, or of the host on its behalf, as it is.</summary>
    public static async Task WriteAsync(HttpResponse http, ApiResponse response)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(response);
        http.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        http.ContentLength = response.Body.Length;
        await http.Body.WriteAsync(response.Body, http.HttpContext.RequestAborted);
    }

    private static void Map<THandlers>(IEndpointRouteBuilder app, IReadOnlyList<ApiRoute<THandlers>> routes)
        where THandlers : notnull
    {
        foreach (var route in routes)
        {
            Func<HttpContext, Task> handle = context => HandleAsync(context, route);
            var endpoint = app.MapMethods(route.Path, [route.Method], handle)
                .WithName(route.OperationId)
                .WithSummary(route.Summary)
                .WithTags(route.Tag)
                .WithMetadata(route);
            foreach (var response in route.Responses)
            {
                foreach (var type in response.Bodies)
                {
                    endpoint.Produces(response.Status, type, response.ContentType);
                }
            }
        }
    }

    private static async Task HandleAsync<THandlers>(HttpContext context, ApiRoute<THandlers> route)
        where THandlers : notnull
    {
        var http = context.Request;

        // ASP.NET Core matches a path's literal segments ignoring case; API Gateway's resources, and so the contract, do not.
        var pathValues = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!route.Matches(ApiRoute.Segments(http.Path), pathValues))
        {
            await WriteAsync(context.Response, ApiResponse.Problem(Problems.RouteNotFound(http.Method, http.Path)));
            return;
        }

        var body = route.RequestBodies.Count > 0 ? await RequestBodyReader.ReadAsync(http, context.RequestAborted) : [];
        var request = new ApiRequest(
            http.Method,
            http.Path,
            http.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            ApiRequest.QueryOf(http.Query.Select(q => KeyValuePair.Create(q.Key, q.Value.Select(v => v ?? "")))),
            body);
        var handlers = context.RequestServices.GetRequiredService<THandlers>();
        await WriteAsync(context.Response, await route.InvokeAsync(handlers, request, pathValues, context.RequestAborted));
    }
}
