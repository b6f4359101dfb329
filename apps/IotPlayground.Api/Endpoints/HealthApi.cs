namespace IotPlayground.Api.Endpoints;

public static class HealthApi
{
    /// <summary>
    /// Mapped in every environment. <c>/alive</c> is liveness, what the load balancer and ECS ask: it answers while the
    /// process serves, whatever the store's state, so that a database blip never gets every task replaced. Readiness,
    /// <c>/health</c>, is a route of the contract (its handler asks the store's <see cref="Domain.IStoreProbe"/>).
    /// </summary>
    public static void MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/alive", () => TypedResults.Ok()).WithName("getLiveness").WithSummary("Liveness: the process serves").WithTags("Health");
}
