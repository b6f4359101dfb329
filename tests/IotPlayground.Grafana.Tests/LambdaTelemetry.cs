using System.Text.Json;
using IotPlayground.Domain;
using IotPlayground.Lambda.Functions;
using IotPlayground.Lambda.Runtime;

namespace IotPlayground.Grafana.Tests;

/// <summary>
/// What the serverless backend writes to CloudWatch Logs, taken from the Lambdas' own writer (<see cref="EmfRunMetrics"/>
/// over <see cref="JsonLog"/>) for one run's start, readings and end: the EMF lines CloudWatch turns into metrics, and
/// the log lines Logs Insights reads. The CloudWatch panels are checked against these lines, not against a list.
/// </summary>
public static class LambdaTelemetry
{
    /// <summary>The functions, by the Service they log as and the CDK construct id their resource names carry.</summary>
    public static IReadOnlyList<LambdaFunction> Functions { get; } =
    [
        new(EmfMetrics.RunApiService, "RunApi"),
        new(EmfMetrics.SensorApiService, "SensorApi"),
    ];

    public static IReadOnlyList<EmittedLine> Lines { get; } = Capture();

    /// <summary>Every metric an EMF line publishes, with the service that publishes it.</summary>
    public static IReadOnlyList<EmittedMetric> Metrics { get; } = Lines.SelectMany(line => line.PublishedMetrics).Distinct().ToList();

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

    /// <summary>
    /// Which function reports what, as lambdas/ wires it: the run function starts and ends runs; the sensor function
    /// ingests readings, and ends the runs it finds past their deadline on the way.
    /// </summary>
    private static List<EmittedLine> Capture()
    {
        var now = DateTimeOffset.UtcNow;
        var run = new Run(Guid.NewGuid(), "alice", RunStatus.Running, now, null, 60, 2,
            new RunParams(2, [Measure.Temperature, Measure.Humidity, Measure.Pressure]), null);
        var reading = new SensorReading(run.Id, "greenhouse-1", now, 21.5, 40, 1013);

        return
        [
            .. Emit(EmfMetrics.RunApiService, metrics =>
            {
                metrics.RunStarted(run);
                metrics.RunEnded(run.End(RunStatus.Completed, EndReason.Finished, now));
            }),
            .. Emit(EmfMetrics.SensorApiService, metrics =>
            {
                metrics.ReadingsIngested([reading]);
                metrics.RunEnded(run.Expire());
            }),
        ];
    }

    private static List<EmittedLine> Emit(string service, Action<EmfRunMetrics> report)
    {
        using var output = new StringWriter();
        report(new EmfRunMetrics(new JsonLog(output, service, TimeProvider.System), TimeProvider.System));
        return output.ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => new EmittedLine(service, JsonDocument.Parse(line).RootElement.Clone()))
            .ToList();
    }
}

/// <summary>
/// One line a function writes: an EMF line (with an "_aws" member) or a structured log line (with a "message").
/// Read as a document, not a dictionary: a line may repeat a member, which JSON allows and Logs Insights takes.
/// </summary>
public sealed record EmittedLine(string Service, JsonElement Json)
{
    public bool IsEmf => Json.TryGetProperty("_aws", out _);

    public string? Message => !IsEmf && Json.TryGetProperty("message", out var message) ? message.GetString() : null;

    /// <summary>Top-level members: what Logs Insights discovers as fields of the event.</summary>
    public IReadOnlyList<string> Fields => Json.EnumerateObject().Select(member => member.Name).Where(name => name != "_aws").Distinct().ToList();

    public bool Has(string field) => Fields.Contains(field);

    public IEnumerable<EmittedMetric> PublishedMetrics =>
        !IsEmf ? [] :
        from directive in Json.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray()
        from dimensionSet in directive.GetProperty("Dimensions").EnumerateArray()
        from metric in directive.GetProperty("Metrics").EnumerateArray()
        select new EmittedMetric(
            directive.GetProperty("Namespace").GetString()!,
            metric.GetProperty("Name").GetString()!,
            string.Join(',', dimensionSet.EnumerateArray().Select(d => d.GetString())),
            Service);
}

public sealed record LambdaFunction(string Service, string ConstructId);

/// <summary>An EMF metric; <paramref name="Dimensions"/> is its dimension set, comma-separated, as published.</summary>
public sealed record EmittedMetric(string Namespace, string Name, string Dimensions, string Service);

public sealed record AwsMetric(string Namespace, string Name, string Dimension);
