using IotPlayground.Domain;
using static IotPlayground.Contract.Http.ResponseSpec;

namespace IotPlayground.Contract.Http;

/// <summary>The two Lambda functions of the serverless backend, by the name the CDK, the local host and the bench use.</summary>
public static class ApiFunctions
{
    public const string RunApi = "RunApi";
    public const string SensorApi = "SensorApi";
}

/// <summary>
/// Every route of the HTTP contract, in one place. The container API maps these into ASP.NET Core endpoints (and its
/// OpenAPI document), each Lambda function serves the routes of its name, and API Gateway's resources (the CDK's
/// and the local host's) are derived from them by <see cref="GatewayResources"/>.
/// </summary>
public static class ApiRoutes
{
    private const string Health = "Health";
    private const string Runs = "Runs";
    private const string Sensors = "Sensors";

    /// <summary>Every route that reads the store may find it unreachable.</summary>
    private static readonly ResponseSpec Unavailable = Problem(503, ErrorCode.Unavailable);

    private static readonly ResponseSpec TooLarge = Problem(413, ErrorCode.ValidationFailed);

    /// <summary>A route that reads a body reads JSON, and says so to a body sent as anything else.</summary>
    private static readonly ResponseSpec NotJson = Problem(415, ErrorCode.ValidationFailed);

    public static IReadOnlyList<ApiRoute<RunHandlers>> RunApi { get; } =
    [
        new()
        {
            Function = ApiFunctions.RunApi, Method = "GET", Path = "/health", Tag = Health,
            OperationId = "getHealth", Summary = "Readiness: whether the store can be reached",
            Responses = [Success(200, typeof(HealthResource)), Success(503, typeof(HealthResource))],
            Handle = (h, call, ct) => h.HealthAsync(ct),
        },
        new()
        {
            Function = ApiFunctions.RunApi, Method = "GET", Path = "/api/runs/can-start", Tag = Runs,
            OperationId = "canStartRun", Summary = "Whether the quota lets one more run start",
            Responses = [Success(200, typeof(QuotaResource)), Unavailable],
            Handle = (h, call, ct) => h.CanStartAsync(ct),
        },
        new()
        {
            Function = ApiFunctions.RunApi, Method = "POST", Path = "/api/runs/start", Tag = Runs,
            OperationId = "startRun", Summary = "Start a run, if the quota allows",
            RequestBodies = [typeof(StartRunInput)], RequiresUser = true,
            Responses =
            [
                Success(201, typeof(RunResource)),
                Problem(400, ErrorCode.ValidationFailed, ErrorCode.InvalidUser, ErrorCode.QuotaExceeded),
                TooLarge,
                NotJson,
                Unavailable,
            ],
            Handle = (h, call, ct) => h.StartAsync(call, ct),
        },
        new()
        {
            Function = ApiFunctions.RunApi, Method = "GET", Path = "/api/runs/running", Tag = Runs,
            OperationId = "listRunningRuns", Summary = "Every user's running runs, oldest first",
            Responses = [Success(200, typeof(List<RunResource>)), Unavailable],
            Handle = (h, call, ct) => h.RunningAsync(ct),
        },
        new()
        {
            Function = ApiFunctions.RunApi, Method = "POST", Path = "/api/runs/interrupt-all", Tag = Runs,
            OperationId = "interruptAllRuns", Summary = "Interrupt every running run",
            RequiresUser = true,
            Responses = [Success(200, typeof(InterruptedResource)), Problem(400, ErrorCode.InvalidUser), Unavailable],
            Handle = (h, call, ct) => h.InterruptAllAsync(call, ct),
        },
        new()
        {
            Function = ApiFunctions.RunApi, Method = "GET", Path = "/api/runs/all", Tag = Runs,
            OperationId = "listAllRuns", Summary = $"The newest {RunService.MaxAllRuns} runs, newest first",
            Responses = [Success(200, typeof(List<RunResource>)) with { Headers = [HeaderNames.Truncated] }, Unavailable],
            Handle = (h, call, ct) => h.AllAsync(ct),
        },
        new()
        {
            Function = ApiFunctions.RunApi, Method = "GET", Path = "/api/runs", Tag = Runs,
            OperationId = "listRuns", Summary = "One page of runs, newest first",
            Query =
            [
                new("limit", $"Runs per page, 1 to {RunService.MaxPageSize} (default {RunService.DefaultPageSize})"),
                new("cursor", "The nextCursor of the previous page"),
            ],
            Responses = [Success(200, typeof(PageResource<RunResource>)), Problem(400, ErrorCode.ValidationFailed), Unavailable],
            Handle = (h, call, ct) => h.ListAsync(call, ct),
        },
        new()
        {
            Function = ApiFunctions.RunApi, Method = "GET", Path = "/api/runs/{id}", Tag = Runs,
            OperationId = "getRun", Summary = "One run",
            Responses =
            [
                Success(200, typeof(RunResource)),
                Problem(400, ErrorCode.ValidationFailed),
                Problem(404, ErrorCode.RunNotFound),
                Unavailable,
            ],
            Handle = (h, call, ct) => h.GetAsync(call, ct),
        },
        new()
        {
            Function = ApiFunctions.RunApi, Method = "POST", Path = "/api/runs/{id}/finish", Tag = Runs,
            OperationId = "finishRun", Summary = "Finish a running run: its owner only",
            RequiresUser = true,
            Responses =
            [
                Success(200, typeof(RunResource)),
                Problem(400, ErrorCode.ValidationFailed, ErrorCode.InvalidUser),
                Problem(403, ErrorCode.NotOwner),
                Problem(404, ErrorCode.RunNotFound),
                Problem(409, ErrorCode.RunNotRunning),
                Unavailable,
            ],
            Handle = (h, call, ct) => h.FinishAsync(call, ct),
        },
    ];

    public static IReadOnlyList<ApiRoute<SensorHandlers>> SensorApi { get; } =
    [
        new()
        {
            Function = ApiFunctions.SensorApi, Method = "POST", Path = "/api/sensors/data", Tag = Sensors,
            OperationId = "ingestReadings", Summary = $"Store one reading, or a batch of up to {SensorReadings.MaxBatch} all or nothing",
            RequestBodies = [typeof(ReadingInput), typeof(ReadingBatchBody)], RequiresUser = true,
            Responses =
            [
                Success(201, typeof(ReadingResource), typeof(ReadingBatchResource)),
                Problem(400, ErrorCode.ValidationFailed, ErrorCode.InvalidUser),
                Problem(404, ErrorCode.RunNotFound),
                Problem(409, ErrorCode.RunNotRunning),
                TooLarge,
                NotJson,
                Unavailable,
            ],
            Handle = (h, call, ct) => h.IngestAsync(call, ct),
        },
        new()
        {
            Function = ApiFunctions.SensorApi, Method = "GET", Path = "/api/sensors/data", Tag = Sensors,
            OperationId = "queryReadings", Summary = "One page of a run's readings, in time order",
            Query =
            [
                new("runId", "The run whose readings to read", Required: true),
                new("sensorId", "Only this sensor's readings"),
                new("from", "ISO 8601 instant: readings at or after it"),
                new("to", "ISO 8601 instant: readings at or before it"),
                new("limit", $"Readings per page, 1 to {SensorDataService.MaxPageSize} (default {SensorDataService.DefaultPageSize})"),
                new("cursor", "The nextCursor of the previous page"),
            ],
            Responses =
            [
                Success(200, typeof(PageResource<ReadingResource>)),
                Problem(400, ErrorCode.ValidationFailed),
                Problem(404, ErrorCode.RunNotFound),
                Unavailable,
            ],
            Handle = (h, call, ct) => h.QueryAsync(call, ct),
        },
    ];

    public static IReadOnlyList<ApiRoute> All { get; } = [.. RunApi, .. SensorApi];
}
