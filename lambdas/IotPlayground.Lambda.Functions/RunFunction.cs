using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using IotPlayground.Domain;
using IotPlayground.DynamoDb;
using IotPlayground.Lambda.Runtime;

namespace IotPlayground.Lambda.Functions;

/// <summary>
/// The run function: the routes of <see cref="ApiRoutes.RunApi"/>, on DynamoDB. A schedule that targets the function
/// sweeps the runs past their deadline, as the container API's background sweep does.
/// </summary>
public static class RunFunction
{
    public static IInvocationHandler FromEnvironment(JsonLog log)
    {
        var capacity = new CapacityMeter();
        var stores = FunctionEnvironment.RunStores(capacity);
        var metrics = new EmfRunMetrics(log, TimeProvider.System);
        var service = new RunService(stores.Runs, TimeProvider.System, metrics);
        return new CapacityReporting(
            Create(service, FunctionEnvironment.Grafana(), stores.Probe, log, FunctionEnvironment.CorsOrigin()), capacity, metrics);
    }

    public static ProxyFunction<RunHandlers> Create(
        RunService runs, GrafanaLinks links, IStoreProbe store, JsonLog log, string? corsOrigin)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var application = new ApiApplication<RunHandlers>(ApiRoutes.RunApi, new RunHandlers(runs, links, store), corsOrigin);
        return new ProxyFunction<RunHandlers>(application, log, runs.SweepAsync);
    }
}
