using IotPlayground.Contract;
using IotPlayground.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IotPlayground.Api.Endpoints;

public static class HealthApi
{
    /// <summary>Mapped in every environment: the load balancer's health check asks it.</summary>
    public static RouteHandlerBuilder MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", Check).WithTags("Health");

    public static async Task<JsonHttpResult<HealthResource>> Check(Postgres.PostgresGuard guard, CancellationToken cancellationToken)
    {
        try
        {
            await guard.RunAsync(async dataSource =>
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                return await command.ExecuteScalarAsync(cancellationToken);
            });
            return TypedResults.Json(new HealthResource("ok", "reachable"), ContractJson.Wire.HealthResource);
        }
        catch (StoreUnavailableException)
        {
            return TypedResults.Json(
                new HealthResource("unavailable", "unreachable"), ContractJson.Wire.HealthResource, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
