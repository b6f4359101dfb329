using IotPlayground.Domain;

namespace IotPlayground.Contract.Http;

/// <summary>
/// The run routes and /health: each turns its request into the domain's typed values, in the order the contract
/// reports refusals (body, then caller, then the rest), asks <see cref="RunService"/> and writes the answer.
/// </summary>
public sealed class RunHandlers(RunService runs, GrafanaLinks links, IStoreProbe store)
{
    public async Task<ApiResponse> HealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            await store.CheckReachableAsync(cancellationToken).ConfigureAwait(false);
            return ApiResponse.Json(200, new HealthResource("ok", "reachable"), ContractJson.Wire.HealthResource);
        }
        catch (StoreUnavailableException)
        {
            return ApiResponse.Json(503, new HealthResource("unavailable", "unreachable"), ContractJson.Wire.HealthResource);
        }
    }

    public async Task<ApiResponse> CanStartAsync(CancellationToken cancellationToken) =>
        ApiResponse.Json(200, QuotaResource.From(await runs.CanStartAsync(cancellationToken).ConfigureAwait(false)), ContractJson.Wire.QuotaResource);

    public async Task<ApiResponse> StartAsync(RouteCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var input = RequestBodies.ParseStartRun(call.Body);
        if (input.Error is { } bodyError)
        {
            return ApiResponse.Problem(bodyError);
        }

        var user = call.User();
        if (user.Error is { } userError)
        {
            return ApiResponse.Problem(userError);
        }

        var command = RunRequests.Validate(input.Value);
        return command.Error is { } invalid
            ? ApiResponse.Problem(invalid)
            : RunOrProblem(201, await runs.StartAsync(user.Value!, command.Value!, cancellationToken).ConfigureAwait(false));
    }

    public async Task<ApiResponse> RunningAsync(CancellationToken cancellationToken) =>
        ApiResponse.Json(200, Resources(await runs.RunningAsync(cancellationToken).ConfigureAwait(false)), ContractJson.Wire.ListRunResource);

    public async Task<ApiResponse> InterruptAllAsync(RouteCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var user = call.User();
        return user.Error is { } error
            ? ApiResponse.Problem(error)
            : ApiResponse.Json(
                200,
                new InterruptedResource(await runs.InterruptAllAsync(user.Value!, cancellationToken).ConfigureAwait(false)),
                ContractJson.Wire.InterruptedResource);
    }

    public async Task<ApiResponse> AllAsync(CancellationToken cancellationToken)
    {
        var (all, truncated) = await runs.ListAllAsync(cancellationToken).ConfigureAwait(false);
        return truncated
            ? ApiResponse.Json(200, Resources(all), ContractJson.Wire.ListRunResource, new KeyValuePair<string, string>(HeaderNames.Truncated, "true"))
            : ApiResponse.Json(200, Resources(all), ContractJson.Wire.ListRunResource);
    }

    public async Task<ApiResponse> ListAsync(RouteCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = RequestParsing.RunPage(call.Query("limit"), call.Query("cursor"));
        if (request.Error is { } error)
        {
            return ApiResponse.Problem(error);
        }

        var page = await runs.ListAsync(request.Value!, cancellationToken).ConfigureAwait(false);
        return ApiResponse.Json(200, new PageResource<RunResource>(Resources(page.Items), page.NextCursor), ContractJson.Wire.PageResourceRunResource);
    }

    public async Task<ApiResponse> GetAsync(RouteCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var id = RequestParsing.RunId(call.PathValue("id"));
        return id.Error is { } error
            ? ApiResponse.Problem(error)
            : RunOrProblem(200, await runs.GetAsync(id.Value, cancellationToken).ConfigureAwait(false));
    }

    public async Task<ApiResponse> FinishAsync(RouteCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var user = call.User();
        if (user.Error is { } userError)
        {
            return ApiResponse.Problem(userError);
        }

        var id = RequestParsing.RunId(call.PathValue("id"));
        return id.Error is { } idError
            ? ApiResponse.Problem(idError)
            : RunOrProblem(200, await runs.FinishAsync(user.Value!, id.Value, cancellationToken).ConfigureAwait(false));
    }

    private ApiResponse RunOrProblem(int status, Outcome<Run> run) =>
        run.Error is { } error ? ApiResponse.Problem(error) : ApiResponse.Json(status, RunResource.From(run.Value!, links), ContractJson.Wire.RunResource);

    private List<RunResource> Resources(IEnumerable<Run> list) => list.Select(r => RunResource.From(r, links)).ToList();
}
