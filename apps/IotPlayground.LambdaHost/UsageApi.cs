using System.Net;
using IotPlayground.Contract;
using IotPlayground.LambdaEmulator;

namespace IotPlayground.LambdaHost;

/// <summary>
/// The functions' usage, by function name (<see cref="FunctionUsage"/>): what Lambda and CloudWatch would count, for the
/// compare tool to read before and after a workload. Outside the contract, and answered to loopback callers only.
/// </summary>
public static class UsageApi
{
    public static void MapUsageApi(this IEndpointRouteBuilder app) =>
        app.MapGet(LocalHostPaths.Usage, (HttpContext context, LocalFunctions functions) =>
            context.Connection.RemoteIpAddress is { } caller && IPAddress.IsLoopback(caller)
                ? Results.Ok(new Dictionary<string, FunctionUsageSnapshot>(StringComparer.Ordinal)
                {
                    [functions.Run.Name] = functions.Run.Usage.Snapshot(),
                    [functions.Sensor.Name] = functions.Sensor.Usage.Snapshot(),
                })
                : Results.NotFound())
            .ExcludeFromDescription();
}
