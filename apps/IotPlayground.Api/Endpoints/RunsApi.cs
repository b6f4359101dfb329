using IotPlayground.Contract;
using IotPlayground.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IotPlayground.Api.Endpoints;

public static class RunsApi
{
    public const string UserHeader = "X-User";

    public static RouteGroupBuilder MapRunsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/runs").WithTags("Runs");
        api.MapGet("/can-start", CanStart);
        // The body is read raw, so that both backends parse it alike; these lines document it.
        api.MapPost("/start", Start).Accepts<StartRunInput>("application/json");
        api.MapGet("/running", Running);
        api.MapPost("/interrupt-all", InterruptAll);
        api.MapGet("/all", All);
        api.MapGet("/", List);
        api.MapGet("/{id}", Get);
        api.MapPost("/{id}/finish", Finish);
        return api;
    }

    public static async Task<JsonHttpResult<QuotaResource>> CanStart(RunService runs, CancellationToken cancellationToken) =>
        TypedResults.Json(QuotaResource.From(await runs.CanStartAsync(cancellationToken)), ContractJson.Wire.QuotaResource);

    public static async Task<Results<JsonHttpResult<RunResource>, JsonHttpResult<ProblemResource>>> Start(
        [FromHeader(Name = UserHeader)] string? user, HttpRequest request, RunService runs, GrafanaLinks links, CancellationToken cancellationToken)
    {
        var body = await RequestBodyReader.ReadAsync(request, cancellationToken);
        if (body is null)
        {
            return ProblemResults.Problem(Problems.BodyTooLarge(RequestBodies.MaxBytes));
        }

        var input = RequestBodies.ParseStartRun(body);
        if (input.Error is { } error)
        {
            return ProblemResults.Problem(error);
        }

        var started = await runs.StartAsync(user, input.Value, cancellationToken);
        return started.Error is null
            ? TypedResults.Json(RunResource.From(started.Value!, links), ContractJson.Wire.RunResource, statusCode: StatusCodes.Status201Created)
            : ProblemResults.Problem(started.Error);
    }

    public static async Task<JsonHttpResult<List<RunResource>>> Running(RunService runs, GrafanaLinks links, CancellationToken cancellationToken) =>
        TypedResults.Json(
            (await runs.RunningAsync(cancellationToken)).Select(r => RunResource.From(r, links)).ToList(),
            ContractJson.Wire.ListRunResource);

    public static async Task<Results<JsonHttpResult<RunResource>, JsonHttpResult<ProblemResource>>> Finish(
        string id, [FromHeader(Name = UserHeader)] string? user, RunService runs, GrafanaLinks links, CancellationToken cancellationToken) =>
        RunOrProblem(await runs.FinishAsync(user, id, cancellationToken), links);

    public static async Task<Results<JsonHttpResult<InterruptedResource>, JsonHttpResult<ProblemResource>>> InterruptAll(
        [FromHeader(Name = UserHeader)] string? user, RunService runs, CancellationToken cancellationToken)
    {
        var interrupted = await runs.InterruptAllAsync(user, cancellationToken);
        return interrupted.Error is null
            ? TypedResults.Json(new InterruptedResource(interrupted.Value), ContractJson.Wire.InterruptedResource)
            : ProblemResults.Problem(interrupted.Error);
    }

    public static async Task<Results<JsonHttpResult<RunResource>, JsonHttpResult<ProblemResource>>> Get(
        string id, RunService runs, GrafanaLinks links, CancellationToken cancellationToken) =>
        RunOrProblem(await runs.GetAsync(id, cancellationToken), links);

    public static async Task<Results<JsonHttpResult<PageResource<RunResource>>, JsonHttpResult<ProblemResource>>> List(
        string? limit, string? cursor, RunService runs, GrafanaLinks links, CancellationToken cancellationToken)
    {
        var page = await runs.ListAsync(limit, cursor, cancellationToken);
        return page.Error is null
            ? TypedResults.Json(
                new PageResource<RunResource>(page.Value!.Items.Select(r => RunResource.From(r, links)).ToList(), page.Value.NextCursor),
                ContractJson.Wire.PageResourceRunResource)
            : ProblemResults.Problem(page.Error);
    }

    public static async Task<JsonHttpResult<List<RunResource>>> All(
        HttpResponse response, RunService runs, GrafanaLinks links, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var (all, truncated) = await runs.ListAllAsync(cancellationToken);
        if (truncated)
        {
            response.Headers["X-Truncated"] = "true";
        }

        return TypedResults.Json(all.Select(r => RunResource.From(r, links)).ToList(), ContractJson.Wire.ListRunResource);
    }

    private static Results<JsonHttpResult<RunResource>, JsonHttpResult<ProblemResource>> RunOrProblem(Outcome<Run> run, GrafanaLinks links) =>
        run.Error is null
            ? TypedResults.Json(RunResource.From(run.Value!, links), ContractJson.Wire.RunResource)
            : ProblemResults.Problem(run.Error);
}
