using System.Text.Json.Nodes;
using IotPlayground.Domain;
using IotPlayground.Lambda.Functions;
using IotPlayground.Lambda.Runtime;
using IotPlayground.Testing;

namespace IotPlayground.Lambda.Tests;

public sealed class EmfMetricsTests : IDisposable
{
    private readonly StringWriter _output = new();

    [Fact]
    public async Task AnIngestedBatchIsCountedWithItsAverageTemperatureAndLoggedOneLinePerReading()
    {
        var stores = new InMemoryStores();
        var log = new JsonLog(_output, EmfMetrics.SensorApiService, TimeProvider.System);
        var metrics = new EmfRunMetrics(log, TimeProvider.System);
        var runService = new RunService(stores.Runs, TimeProvider.System, metrics);
        var function = SensorFunction.Create(
            new SensorDataService(stores.Runs, stores.Readings, runService, metrics), TimeProvider.System, log, corsOrigin: null);
        var run = Run.Start(Guid.NewGuid(), "alice", DateTimeOffset.UtcNow, new RunRequest(600, 5, RunParams.Default));
        await stores.Runs.TryStartAsync(run, run.StartedAt, default);

        var response = await function.HandleAsync(ProxyEvents.Request("POST", "/api/sensors/data", $$"""
                {"readings":[
                  {"runId":"{{run.Id}}","sensorId":"s1","temperature":20,"humidity":40},
                  {"runId":"{{run.Id}}","sensorId":"s2","temperature":23}
                ]}
                """, ("X-User", "alice")), default);

        Assert.Equal(201, response.StatusCode);
        var lines = Emf.Lines(_output);
        var metric = Assert.Single(lines, l => l["_aws"] is not null);
        Emf.AssertMetric(metric, EmfMetrics.SensorDataIngested, "Count", EmfMetrics.SensorApiService);
        Emf.AssertMetric(metric, EmfMetrics.TemperatureAverage, "None", EmfMetrics.SensorApiService);
        Assert.Equal(2, (double?)metric[EmfMetrics.SensorDataIngested]);
        Assert.Equal(21.5, (double?)metric[EmfMetrics.TemperatureAverage]);
        var readings = lines.Where(l => (string?)l["message"] == EmfMetrics.SensorReadingMessage).ToList();
        Assert.Equal(["s1", "s2"], readings.Select(r => (string?)r["sensorId"]));
        Assert.Equal(40, (double?)readings[0]["humidity"]);
        Assert.Null(readings[1]["humidity"]);
        Assert.All(readings, r => Assert.Equal(run.Id.ToString(), (string?)r["runId"]));
    }

    [Fact]
    public void AnEndedRunIsCountedWithItsReasonAsAPropertyNotADimension()
    {
        var metrics = new EmfRunMetrics(new JsonLog(_output, EmfMetrics.RunApiService, TimeProvider.System), TimeProvider.System);
        var run = Run.Start(Guid.NewGuid(), "alice", DateTimeOffset.UtcNow, new RunRequest(60, 5, RunParams.Default));

        metrics.RunEnded(run.Expire());

        var metric = Assert.Single(Emf.Lines(_output));
        Emf.AssertMetric(metric, EmfMetrics.RunCompleted, "Count", EmfMetrics.RunApiService);
        Assert.Equal("expired", (string?)metric[EmfMetrics.EndReasonProperty]);
    }

    public void Dispose() => _output.Dispose();
}

/// <summary>Reads Embedded Metric Format lines as CloudWatch does.</summary>
internal static class Emf
{
    public static List<JsonObject> Lines(StringWriter output) =>
        JsonLogLines.Parse(output.ToString()).Where(l => (string?)l["message"] != "request").ToList();

    public static void AssertMetric(JsonNode line, string name, string unit, string service)
    {
        var directive = Assert.Single(line["_aws"]!["CloudWatchMetrics"]!.AsArray())!;
        Assert.Equal(EmfMetrics.Namespace, (string?)directive["Namespace"]);
        var dimensions = Assert.Single(directive["Dimensions"]!.AsArray())!.AsArray();
        Assert.Equal([EmfMetrics.ServiceDimension], dimensions.Select(d => (string?)d));
        Assert.Equal(service, (string?)line[EmfMetrics.ServiceDimension]);
        var metric = Assert.Single(directive["Metrics"]!.AsArray(), m => (string?)m!["Name"] == name)!;
        Assert.Equal(unit, (string?)metric["Unit"]);
        Assert.NotNull(line[name]);
        Assert.True((long?)line["_aws"]!["Timestamp"] > 0);
    }
}
