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
    public static ProxyFunction<RunHandlers> FromEnvironment(JsonLog log)
    {
        var store = new DynamoDbRunStore(DynamoDbClients.Create(), FunctionEnvironment.Required(SettingNames.Lambda.RunsTable));
        var service = new RunService(store, TimeProvider.System, new EmfRunMetrics(log, TimeProvider.System));
        return Create(service, FunctionEnvironment.Grafana(), store.CheckReachableAsync, log, FunctionEnvironment.CorsOrigin());
    }

    public static ProxyFunction<RunHandlers> Create(
        RunService runs, GrafanaLinks links, Func<CancellationToken, Task> checkStore, JsonLog log, string? corsOrigin)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var application = new ApiApplication<RunHandlers>(ApiRoutes.RunApi, new RunHandlers(runs, links, checkStore), corsOrigin);
        return new ProxyFunction<RunHandlers>(application, log, runs.SweepAsync);
    }
}
