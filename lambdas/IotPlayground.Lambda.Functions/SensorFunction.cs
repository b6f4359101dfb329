using IotPlayground.Contract;
using IotPlayground.Domain;
using IotPlayground.Lambda.Runtime;
using static IotPlayground.Lambda.Runtime.ProxyResponses;

namespace IotPlayground.Lambda.Functions;

/// <summary>
/// The sensor API, as API Gateway routes it to this function (/api/sensors/{proxy+}). Each route answers as its
/// counterpart in apps/IotPlayground.Api/Endpoints/SensorsApi.cs does.
/// </summary>
public sealed class SensorFunction(SensorDataService sensors) : IApiGatewayFunction
{
    public static SensorFunction FromEnvironment(JsonLog log)
    {
        var stores = FunctionEnvironment.SensorStores();
        var metrics = new EmfRunMetrics(log, TimeProvider.System);

        // Ingestion closes a run that is past its deadline on the way, as the container API does.
        var runs = new RunService(stores.Runs, TimeProvider.System, metrics);
        return new SensorFunction(new SensorDataService(stores.Runs, stores.Readings, runs, TimeProvider.System, metrics));
    }

    public async Task<ApiGatewayProxyResponse> HandleAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return (request.HttpMethod, Routes.Segments(request.Path ?? "")) switch
        {
            ("POST", ["api", "sensors", "data"]) => await IngestAsync(request, cancellationToken),
            ("GET", ["api", "sensors", "data"]) => await QueryAsync(request, cancellationToken),
            _ => RouteNotFound(request),
        };
    }

    private async Task<ApiGatewayProxyResponse> IngestAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken)
    {
        var body = request.BodyBytes();
        if (body.Length > RequestBodies.MaxBytes)
        {
            return Problem(Problems.BodyTooLarge(RequestBodies.MaxBytes));
        }

        var parsed = RequestBodies.ParseReadings(body);
        if (parsed.Error is { } error)
        {
            return Problem(error);
        }

        var (inputs, isBatch) = parsed.Value;
        var stored = await sensors.IngestAsync(request.Header(RunFunction.UserHeader), inputs, isBatch, cancellationToken);
        if (stored.Error is { } refusal)
        {
            return Problem(refusal);
        }

        var readings = stored.Value!.Select(ReadingResource.From).ToList();
        return isBatch
            ? Json(201, new ReadingBatchResource(readings), ContractJson.Wire.ReadingBatchResource)
            : Json(201, readings[0], ContractJson.Wire.ReadingResource);
    }

    private async Task<ApiGatewayProxyResponse> QueryAsync(ApiGatewayProxyRequest request, CancellationToken cancellationToken)
    {
        var page = await sensors.QueryAsync(
            request.Query("runId"), request.Query("sensorId"), request.Query("from"), request.Query("to"),
            request.Query("limit"), request.Query("cursor"), cancellationToken);
        return page.Error is { } error
            ? Problem(error)
            : Json(
                200,
                new PageResource<ReadingResource>(page.Value!.Items.Select(ReadingResource.From).ToList(), page.Value.NextCursor),
                ContractJson.Wire.PageResourceReadingResource);
    }
}
