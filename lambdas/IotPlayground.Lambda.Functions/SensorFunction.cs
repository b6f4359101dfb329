using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using IotPlayground.Domain;
using IotPlayground.DynamoDb;
using IotPlayground.Lambda.Runtime;

namespace IotPlayground.Lambda.Functions;

/// <summary>The sensor function: the routes of <see cref="ApiRoutes.SensorApi"/>, on DynamoDB.</summary>
public static class SensorFunction
{
    public static IInvocationHandler FromEnvironment(JsonLog log)
    {
        var capacity = new CapacityMeter();
        var stores = FunctionEnvironment.SensorStores(capacity);
        var metrics = new EmfRunMetrics(log, TimeProvider.System);

        // Ingestion closes a run that is past its deadline on the way, as the container API does.
        var runs = new RunService(stores.Runs, TimeProvider.System, metrics);
        var function = Create(new SensorDataService(stores.Runs, stores.Readings, runs, metrics), TimeProvider.System, log, FunctionEnvironment.CorsOrigin());
        return new CapacityReporting(function, capacity, metrics);
    }

    public static ProxyFunction<SensorHandlers> Create(SensorDataService sensors, TimeProvider clock, JsonLog log, string? corsOrigin) =>
        new(new ApiApplication<SensorHandlers>(ApiRoutes.SensorApi, new SensorHandlers(sensors, clock), corsOrigin), log);
}
