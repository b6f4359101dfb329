using System.Globalization;
using System.Text;
using System.Text.Json;
using IotPlayground.Domain;
using IotPlayground.DynamoDb;
using IotPlayground.Lambda.Runtime;

namespace IotPlayground.Lambda.Functions;

/// <summary>
/// The functions' CloudWatch metrics, as Embedded Metric Format log lines: names the Grafana dashboards query, so a
/// test holds the dashboards to this class.
/// </summary>
public static class EmfMetrics
{
    public const string Namespace = "IotPlayground";

    /// <summary>The one dimension: which function emitted the metric.</summary>
    public const string ServiceDimension = "Service";

    public const string RunApiService = "run-api";
    public const string SensorApiService = "sensor-api";

    public const string RunStarted = "run_started";

    /// <summary>Counted per end reason in the <see cref="EndReasonProperty"/> property, not a dimension: reasons would multiply the series.</summary>
    public const string RunCompleted = "run_completed";

    public const string SensorDataIngested = "sensor_data_ingested";

    /// <summary>Average temperature of one ingested batch, in °C.</summary>
    public const string TemperatureAverage = "temperature_avg";

    /// <summary>The DynamoDB read request units one invocation consumed, as the store's answers reported them.</summary>
    public const string DynamoDbReadCapacityUnits = "dynamodb_read_capacity_units";

    /// <summary>The DynamoDB write request units one invocation consumed.</summary>
    public const string DynamoDbWriteCapacityUnits = "dynamodb_write_capacity_units";

    public const string EndReasonProperty = "endReason";

    /// <summary>The log message of the one line per reading that Logs Insights queries for per-reading panels.</summary>
    public const string SensorReadingMessage = "sensor_reading";

    public static IReadOnlyList<string> MetricNames { get; } = [RunStarted, RunCompleted, SensorDataIngested, TemperatureAverage];
}

/// <summary>
/// The domain's metrics and an invocation's consumed DynamoDB capacity as EMF lines, and one structured log line per
/// ingested reading.
/// </summary>
public sealed class EmfRunMetrics(JsonLog log, TimeProvider clock) : IRunMetrics
{
    public void RunStarted(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Emit([(EmfMetrics.RunStarted, "Count", 1)], json =>
        {
            json.WriteString("runId", run.Id);
            json.WriteString("username", run.Username);
        });
    }

    public void RunEnded(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Emit([(EmfMetrics.RunCompleted, "Count", 1)], json =>
        {
            json.WriteString("runId", run.Id);
            json.WriteString(EmfMetrics.EndReasonProperty, run.EndReason is { } reason ? WireNames.Of(reason) : "unknown");
            json.WriteString("status", WireNames.Of(run.Status));
        });
    }

    public void ReadingsIngested(IReadOnlyList<SensorReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        if (readings.Count == 0)
        {
            return;
        }

        Emit(
            [(EmfMetrics.SensorDataIngested, "Count", readings.Count), (EmfMetrics.TemperatureAverage, "None", readings.Average(r => r.Temperature))],
            json => json.WriteString("runId", readings[0].RunId));
        foreach (var reading in readings)
        {
            log.Info(EmfMetrics.SensorReadingMessage, json =>
            {
                json.WriteString("runId", reading.RunId);
                json.WriteString("sensorId", reading.SensorId);
                json.WriteString("timestamp", reading.Timestamp.ToString("O", CultureInfo.InvariantCulture));
                json.WriteNumber("temperature", reading.Temperature);
                WriteOptional(json, "humidity", reading.Humidity);
                WriteOptional(json, "pressure", reading.Pressure);
            });
        }
    }

    /// <summary>Nothing is written for an invocation that consumed none.</summary>
    public void CapacityConsumed(CapacityUnits consumed)
    {
        if (consumed == CapacityUnits.None)
        {
            return;
        }

        Emit([(EmfMetrics.DynamoDbReadCapacityUnits, "Count", consumed.Read), (EmfMetrics.DynamoDbWriteCapacityUnits, "Count", consumed.Write)], _ => { });
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
    }

    private void Emit(IReadOnlyList<(string Name, string Unit, double Value)> metrics, Action<Utf8JsonWriter> properties)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", clock.GetUtcNow().ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", EmfMetrics.Namespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue(EmfMetrics.ServiceDimension);
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            foreach (var (name, unit, _) in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name", name);
                json.WriteString("Unit", unit);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString(EmfMetrics.ServiceDimension, log.Service);
            foreach (var (name, _, value) in metrics)
            {
                json.WriteNumber(name, value);
            }

            if (LambdaContext.Current is { } invocation)
            {
                json.WriteString("requestId", invocation.RequestId);
            }

            properties(json);
            json.WriteEndObject();
        }

        log.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
