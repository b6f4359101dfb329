using IotPlayground.Contract;
using IotPlayground.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace IotPlayground.Api.Endpoints;

public static class SensorsApi
{
    public static RouteGroupBuilder MapSensorsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sensors").WithTags("Sensors");
        api.MapPost("/data", Ingest)
            .Accepts<ReadingInput>("application/json")
            .Produces<ReadingResource>(StatusCodes.Status201Created)
            .Produces<ReadingBatchResource>(StatusCodes.Status201Created)
            .Produces<ProblemResource>(StatusCodes.Status400BadRequest, Problems.ContentType);
        api.MapGet("/data", Query);
        return api;
    }

    public static async Task<IResult> Ingest(
        [FromHeader(Name = RunsApi.UserHeader)] string? user, HttpRequest request, SensorDataService sensors, CancellationToken cancellationToken)
    {
        var body = await RequestBodyReader.ReadAsync(request, cancellationToken);
        if (body is null)
        {
            return ProblemResults.Problem(Problems.BodyTooLarge(RequestBodies.MaxBytes));
        }

        var parsed = RequestBodies.ParseReadings(body);
        if (parsed.Error is { } error)
        {
            return ProblemResults.Problem(error);
        }

        var (inputs, isBatch) = parsed.Value;
        var stored = await sensors.IngestAsync(user, inputs, isBatch, cancellationToken);
        if (stored.Error is not null)
        {
            return ProblemResults.Problem(stored.Error);
        }

        var readings = stored.Value!.Select(ReadingResource.From).ToList();
        return isBatch
            ? TypedResults.Json(new ReadingBatchResource(readings), ContractJson.Wire.ReadingBatchResource, statusCode: StatusCodes.Status201Created)
            : TypedResults.Json(readings[0], ContractJson.Wire.ReadingResource, statusCode: StatusCodes.Status201Created);
    }

    public static async Task<Results<JsonHttpResult<PageResource<ReadingResource>>, JsonHttpResult<ProblemResource>>> Query(
        string? runId, string? sensorId, string? from, string? to, string? limit, string? cursor,
        SensorDataService sensors, CancellationToken cancellationToken)
    {
        var page = await sensors.QueryAsync(runId, sensorId, from, to, limit, cursor, cancellationToken);
        return page.Error is null
            ? TypedResults.Json(
                new PageResource<ReadingResource>(page.Value!.Items.Select(ReadingResource.From).ToList(), page.Value.NextCursor),
                ContractJson.Wire.PageResourceReadingResource)
            : ProblemResults.Problem(page.Error);
    }
}
