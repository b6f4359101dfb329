using System.Text.Json;

namespace IotPlayground.Cost;

/// <summary>
/// The usage one simulation of a workload profile causes on each architecture, and what the idle system does by
/// itself. Hand-written from the profile's definition, or taken from a compare report's measurements.
/// </summary>
public sealed record UsageProfile(
    string Name,
    string Description,
    string Source,
    SimulationUsage PerSimulation,
    IdleUsage Idle)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static UsageProfile Load(string file) =>
        JsonSerializer.Deserialize<UsageProfile>(File.ReadAllText(file), Json)
            ?? throw new InvalidDataException($"{file} holds no usage profile.");
}

/// <param name="Requests">HTTP requests a client sends, the page's polling included.</param>
/// <param name="LambdaInvocations">Function invocations (one per request behind API Gateway).</param>
/// <param name="LambdaBilledMs">Billed duration of one invocation, in milliseconds.</param>
/// <param name="DynamoDbWriteUnits">Write request units consumed.</param>
/// <param name="DynamoDbReadUnits">Read request units consumed.</param>
/// <param name="ServerlessLogBytes">Bytes written to CloudWatch Logs by the functions and API Gateway's access log.</param>
/// <param name="ContainerLogBytes">Bytes written to CloudWatch Logs by the API tasks.</param>
public sealed record SimulationUsage(
    double Requests,
    double LambdaInvocations,
    double LambdaBilledMs,
    double DynamoDbWriteUnits,
    double DynamoDbReadUnits,
    double ServerlessLogBytes,
    double ContainerLogBytes);

/// <param name="SweepBilledMs">Billed duration of one scheduled sweep of overdue runs, in milliseconds.</param>
public sealed record IdleUsage(double SweepBilledMs);
