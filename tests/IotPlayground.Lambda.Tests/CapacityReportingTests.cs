using Amazon.DynamoDBv2;
using Amazon.Runtime;
using IotPlayground.Domain;
using IotPlayground.DynamoDb;
using IotPlayground.Lambda.Functions;
using IotPlayground.Lambda.Runtime;
using IotPlayground.Testing;

namespace IotPlayground.Lambda.Tests;

/// <summary>The capacity a function's invocation consumed on DynamoDB (Local), reported as the invocation's EMF metrics.</summary>
public sealed class CapacityReportingTests : IAsyncLifetime, IDisposable
{
    private readonly string _runsTable = $"reporting_{Environment.ProcessId}_{Guid.NewGuid():N}_Runs";
    private readonly StringWriter _output = new();
    private readonly CapacityMeter _capacity = new();
    private MeteredDynamoDbClient _client = null!;
    private CapacityReporting _function = null!;

    public async Task InitializeAsync()
    {
        _client = new MeteredDynamoDbClient(
            new BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = TestDynamoDb.SharedServer, AuthenticationRegion = "us-east-1" },
            _capacity);
        await DynamoDbSchema.EnsureTablesAsync(_client, _runsTable, _runsTable + "_SensorData", CancellationToken.None);
        var stores = DynamoDbStores.Create(_client, _runsTable, sensorDataTable: null);
        var log = new JsonLog(_output, EmfMetrics.RunApiService, TimeProvider.System);
        var metrics = new EmfRunMetrics(log, TimeProvider.System);
        var runs = new RunService(stores.Runs, TimeProvider.System, metrics);
        _function = new CapacityReporting(
            RunFunction.Create(runs, new GrafanaLinks(new Uri("https://grafana.test")), stores.Probe, log, corsOrigin: null), _capacity, metrics);
    }

    public async Task DisposeAsync()
    {
        await _client.DeleteTableAsync(_runsTable);
        await _client.DeleteTableAsync(_runsTable + "_SensorData");
    }

    public void Dispose()
    {
        _client.Dispose();
        _output.Dispose();
    }

    [Fact]
    public async Task AnInvocationReportsTheCapacityItConsumedOnceItIsOver()
    {
        await InvokeAsync("POST", "/api/runs/start", """{"duration":60,"interval":5}""");
        var started = Capacity();
        await InvokeAsync("GET", "/api/runs/running", null);
        var listed = Capacity();

        Assert.True(started.Write > 0, $"write units {started.Write}");
        Assert.True(listed.Read > 0, $"read units {listed.Read}");
        Assert.Equal(0, listed.Write);
        Assert.Equal(CapacityUnits.None, _capacity.Take());
    }

    [Fact]
    public async Task AnInvocationThatReachesNoTableReportsNothing()
    {
        await InvokeAsync("GET", "/api/runs/nowhere", null);

        Assert.DoesNotContain(Emf.Lines(_output), l => l[EmfMetrics.DynamoDbWriteCapacityUnits] is not null);
    }

    private Task<byte[]> InvokeAsync(string method, string path, string? body)
    {
        var request = ProxyEvents.Request(method, path, body, ("X-User", "alice"));
        var payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request, LambdaJson.Default.ApiGatewayProxyRequest);
        return _function.HandleAsync(
            new Invocation(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow.AddSeconds(30), null, null, payload),
            new LambdaContext(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow.AddSeconds(30), null),
            CancellationToken.None);
    }

    /// <summary>The units of the capacity line the last invocation wrote; the lines before it are taken with it.</summary>
    private CapacityUnits Capacity()
    {
        var line = Assert.Single(Emf.Lines(_output), l => l[EmfMetrics.DynamoDbWriteCapacityUnits] is not null);
        Emf.AssertMetric(line, EmfMetrics.DynamoDbReadCapacityUnits, "Count", EmfMetrics.RunApiService);
        Emf.AssertMetric(line, EmfMetrics.DynamoDbWriteCapacityUnits, "Count", EmfMetrics.RunApiService);
        _output.GetStringBuilder().Clear();
        return new CapacityUnits((double)line[EmfMetrics.DynamoDbReadCapacityUnits]!, (double)line[EmfMetrics.DynamoDbWriteCapacityUnits]!);
    }
}
