namespace IotPlayground.Api.Endpoints;

public static class HealthApi
{
    /// <summary>
    /// Mapped in every environment. <c>/alive</c> is liveness, what the load balancer and ECS ask: it answers while the
    /// process serves, whatever the store's state, so that a database blip never gets every task replaced. Readiness,
    /// <c>/health</c>, is a route of the contract (its handler asks <see cref="StoreProbe"/>).
    /// </summary>
    public static void MapHealthApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/alive", () => TypedResults.Ok()).WithName("getLiveness").WithSummary("Liveness: the process serves").WithTags("Health");

    /// <summary>Whether PostgreSQL answers; throws the store's <see cref="Domain.StoreUnavailableException"/> when it does not.</summary>
    public static Func<CancellationToken, Task> StoreProbe(Postgres.PostgresGuard guard) => async cancellationToken =>
    {
        ArgumentNullException.ThrowIfNull(guard);
        await guard.RunAsync(async dataSource =>
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken);
        });
    };
}
