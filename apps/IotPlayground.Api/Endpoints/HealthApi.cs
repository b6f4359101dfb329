using IotPlayground.Contract;
using IotPlayground.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IotPlayground.Api.Endpoints;

public static class HealthApi
{
    /// <summary>
    /// Mapped in every environment. <c>/alive</c> is liveness, what the load balancer and ECS ask: it answers while the
    /// process serves, whatever the store's state, so that a database blip never gets every task replaced.
    /// <c>/health</c> is readiness: whether the store can be reached.
    /// </summary>
    public static void MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/alive", Alive).WithTags("Health");
        app.MapGet("/health", Check).WithTags("Health");
    }

    public static Ok Alive() => TypedResults.Ok();

    public static async Task<JsonHttpResult<HealthResource>> Check(IStoreProbe store, CancellationToken cancellationToken)
    {
        try
        {
            await store.CheckReachableAsync(cancellationToken);
            return TypedResults.Json(new HealthResource("ok", "reachable"), ContractJson.Wire.HealthResource);
        }
        catch (StoreUnavailableException)
        {
            return TypedResults.Json(
                new HealthResource("unavailable", "unreachable"), ContractJson.Wire.HealthResource, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
