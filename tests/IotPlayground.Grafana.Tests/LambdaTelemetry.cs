namespace IotPlayground.Grafana.Tests;

/// <summary>
/// What the serverless backend emits, the one list the CloudWatch panels are checked against. Until lambdas/ exposes
/// its EMF names and log records as constants, they are written here; then this class should read them from there.
/// </summary>
public static class LambdaTelemetry
{
    public const string Namespace = "IotPlayground";
    public const string ServiceDimension = "Service";

    /// <summary>The functions, by the Service dimension value they emit and the CDK construct id their names carry.</summary>
    public static IReadOnlyList<LambdaFunction> Functions { get; } =
    [
        new("run-api", "RunApi"),
        new("sensor-api", "SensorApi"),
    ];

    /// <summary>EMF metrics: namespace IotPlayground, one dimension set [["Service"]].</summary>
    public static IReadOnlyList<EmfMetric> EmfMetrics { get; } =
    [
        new("run_started", "run-api"),
        new("run_completed", "run-api"),
        new("sensor_data_ingested", "sensor-api"),
        new("temperature_avg", "sensor-api"),
    ];

    /// <summary>Structured JSON log lines, told apart by their "message" field, with the fields each carries.</summary>
    public static IReadOnlyList<LogRecord> LogRecords { get; } =
    [
        new("sensor_reading", "sensor-api", ["runId", "sensorId", "timestamp", "temperature", "humidity", "pressure"]),
        new("run_started", "run-api", ["runId", "username", "status", "sensorCount", "durationSeconds", "intervalSeconds"]),
        new("run_ended", "run-api", ["runId", "username", "status", "endReason"]),
    ];

    /// <summary>Metrics AWS publishes for the functions and tables, with the dimension the panels select them by.</summary>
    public static IReadOnlyList<AwsMetric> AwsMetrics { get; } =
    [
        new("AWS/Lambda", "Invocations", "FunctionName"),
        new("AWS/Lambda", "Duration", "FunctionName"),
        new("AWS/Lambda", "Errors", "FunctionName"),
        new("AWS/Lambda", "Throttles", "FunctionName"),
        new("AWS/DynamoDB", "ConsumedReadCapacityUnits", "TableName"),
        new("AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName"),
    ];

    /// <summary>Fields CloudWatch Logs adds to every event.</summary>
    public static IReadOnlyList<string> SystemFields { get; } = ["@timestamp", "@message", "@logStream", "@log"];
}

public sealed record LambdaFunction(string Service, string ConstructId);

public sealed record EmfMetric(string Name, string Service);

public sealed record LogRecord(string Message, string Service, IReadOnlyList<string> Fields);

public sealed record AwsMetric(string Namespace, string Name, string Dimension);
