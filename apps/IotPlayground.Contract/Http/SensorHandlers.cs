using IotPlayground.Domain;

namespace IotPlayground.Contract.Http;

/// <summary>The sensor routes: wire input to typed values, <see cref="SensorDataService"/>, and the answer.</summary>
public sealed class SensorHandlers(SensorDataService sensors, TimeProvider clock)
{
    public async Task<ApiResponse> IngestAsync(RouteCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var parsed = RequestBodies.ParseReadings(call.Body);
        if (parsed.Error is { } bodyError)
        {
            return ApiResponse.Problem(bodyError);
        }

        if (call.User() is { Error: { } userError })
        {
            return ApiResponse.Problem(userError);
        }

        var (inputs, isBatch) = parsed.Value;
        var received = RequestParsing.Readings(inputs, isBatch, clock.GetUtcNow());
        if (received.Error is { } invalid)
        {
            return ApiResponse.Problem(invalid);
        }

        var stored = await sensors.IngestAsync(received.Value!, cancellationToken).ConfigureAwait(false);
        if (stored.Error is { } refusal)
        {
            return ApiResponse.Problem(refusal);
        }

        var readings = stored.Value!.Select(ReadingResource.From).ToList();
        return isBatch
            ? ApiResponse.Json(201, new ReadingBatchResource(readings), ContractJson.Wire.ReadingBatchResource)
            : ApiResponse.Json(201, readings[0], ContractJson.Wire.ReadingResource);
    }

    public async Task<ApiResponse> QueryAsync(RouteCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var query = RequestParsing.ReadingQuery(
            call.Query("runId"), call.Query("sensorId"), call.Query("from"), call.Query("to"), call.Query("limit"), call.Query("cursor"));
        if (query.Error is { } error)
        {
            return ApiResponse.Problem(error);
        }

        var page = await sensors.QueryAsync(query.Value.Query, query.Value.PageSize, cancellationToken).ConfigureAwait(false);
        return page.Error is { } refusal
            ? ApiResponse.Problem(refusal)
            : ApiResponse.Json(
                200,
                new PageResource<ReadingResource>(page.Value!.Items.Select(ReadingResource.From).ToList(), page.Value.NextCursor),
                ContractJson.Wire.PageResourceReadingResource);
    }
}
