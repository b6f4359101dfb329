using IotPlayground.Contract;
using IotPlayground.Domain;
using IotPlayground.Lambda.Runtime;
using static IotPlayground.Lambda.Runtime.ProxyResponses;

namespace IotPlayground.Lambda.Functions;

/// <summary>
/// The run API and /health, as API Gateway routes them to this function (/api/runs, /api/runs/{proxy+}, /health).
/// Each route answers as its counterpart in apps/IotPlayground.Api/Endpoints/RunsApi.cs does. A schedule that
/// targets the function sweeps the runs past their deadline, as the container API's background sweep does.
/// </summary>
public sealed class RunFunction(RunService runs, GrafanaLinks links, IStoreProbe store)
    : IApiGatewayFunction, IScheduledFunction
{
    public const string UserHeader = "X-User";

    public static RunFunction FromEnvironment(JsonLog log)
    {
        var stores = FunctionEnvironment.RunStores();
        var service = new RunService(stores.Runs, TimeProvider.System, new EmfRunMetrics(log, TimeProvider.System));
        return new RunFunction(service, FunctionEnvironment.Grafana(), stores.Probe);
    }

    public async Task<ApiGatewayProxyResponse> HandleAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (request.HttpMethod, Routes.Segments(request.Path ?? "")) switch
        {
            ("GET", ["health"]) => await HealthAsync(cancellationToken),
            ("GET", ["api", "runs", "can-start"]) =>
                Json(200, QuotaResource.From(await runs.CanStartAsync(cancellationToken)), ContractJson.Wire.QuotaResource),
            ("POST", ["api", "runs", "start"]) => await StartAsync(request, cancellationToken),
            ("GET", ["api", "runs", "running"]) =>
                Json(200, Resources(await runs.RunningAsync(cancellationToken)), ContractJson.Wire.ListRunResource),
            ("POST", ["api", "runs", "interrupt-all"]) => await InterruptAllAsync(request, cancellationToken),
            ("GET", ["api", "runs", "all"]) => await AllAsync(cancellationToken),
            ("GET", ["api", "runs"]) => await ListAsync(request, cancellationToken),
            ("GET", ["api", "runs", var id]) => RunOrProblem(200, await runs.GetAsync(id, cancellationToken)),
            ("POST", ["api", "runs", var id, "finish"]) =>
                RunOrProblem(200, await runs.FinishAsync(request.Header(UserHeader), id, cancellationToken)),
            _ => RouteNotFound(request),
        };
    }

    public Task RunScheduledAsync(CancellationToken cancellationToken) => runs.SweepAsync(cancellationToken);

    private async Task<ApiGatewayProxyResponse> HealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.CheckReachableAsync(cancellationToken);
            return Json(200, new HealthResource("ok", "reachable"), ContractJson.Wire.HealthResource);
        }
        catch (StoreUnavailableException)
        {
            return Json(503, new HealthResource("unavailable", "unreachable"), ContractJson.Wire.HealthResource);
        }
    }

    private async Task<ApiGatewayProxyResponse> StartAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken)
    {
        var body = request.BodyBytes();
        if (body.Length > RequestBodies.MaxBytes)
        {
            return Problem(Problems.BodyTooLarge(RequestBodies.MaxBytes));
        }

        var input = RequestBodies.ParseStartRun(body);
        return input.Error is { } error
            ? Problem(error)
            : RunOrProblem(201, await runs.StartAsync(request.Header(UserHeader), input.Value, cancellationToken));
    }

    private async Task<ApiGatewayProxyResponse> InterruptAllAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken)
    {
        var interrupted = await runs.InterruptAllAsync(request.Header(UserHeader), cancellationToken);
        return interrupted.Error is { } error
            ? Problem(error)
            : Json(200, new InterruptedResource(interrupted.Value), ContractJson.Wire.InterruptedResource);
    }

    private async Task<ApiGatewayProxyResponse> ListAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken)
    {
        var page = await runs.ListAsync(request.Query("limit"), request.Query("cursor"), cancellationToken);
        return page.Error is { } error
            ? Problem(error)
            : Json(200, new PageResource<RunResource>(Resources(page.Value!.Items), page.Value.NextCursor), ContractJson.Wire.PageResourceRunResource);
    }

    private async Task<ApiGatewayProxyResponse> AllAsync(CancellationToken cancellationToken)
    {
        var (all, truncated) = await runs.ListAllAsync(cancellationToken);
        var response = Json(200, Resources(all), ContractJson.Wire.ListRunResource);
        if (truncated)
        {
            response.Headers["X-Truncated"] = "true";
        }

        return response;
    }

    private ApiGatewayProxyResponse RunOrProblem(int statusCode, Outcome<Run> run) =>
        run.Error is { } error ? Problem(error) : Json(statusCode, RunResource.From(run.Value!, links), ContractJson.Wire.RunResource);

    private List<RunResource> Resources(IEnumerable<Run> list) => list.Select(r => RunResource.From(r, links)).ToList();
}
