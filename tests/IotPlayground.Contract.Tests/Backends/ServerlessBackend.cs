using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using IotPlayground.Domain;
using IotPlayground.DynamoDb;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Backends;

/// <summary>The serverless backend on the local Lambda host, on tables of its own in the shared DynamoDB-API server.</summary>
public class ServerlessBackend : IBackend, IAsyncLifetime, IDisposable
{
    private static int _fixtures;

    private LambdaHostProcess? _host;
    private AmazonDynamoDBClient? _client;
    private string _runsTable = "";
    private string _sensorDataTable = "";

    public IRunStore RunStore { get; private set; } = null!;

    public IRunStore HistoryStore { get; private set; } = null!;

    private LambdaHostProcess Host => _host ?? throw new InvalidOperationException("The backend has not started.");

    private AmazonDynamoDBClient Client => _client ?? throw new InvalidOperationException("The backend has not started.");

    public Uri BaseAddress => Host.BaseAddress;

    public HttpClient CreateClient() => LoopbackClient.Create(Host.BaseAddress);

    public async Task ResetAsync()
    {
        await DeleteAllAsync(_runsTable, DynamoDbSchema.Runs.PartitionKey);
        await DeleteAllAsync(_sensorDataTable, DynamoDbSchema.SensorData.PartitionKey, DynamoDbSchema.SensorData.SortKey);
    }

    public virtual async Task InitializeAsync()
    {
        var endpoint = await CreateStoreAsync();
        var prefix = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _fixtures)}";
        _runsTable = $"{prefix}_Runs";
        _sensorDataTable = $"{prefix}_SensorData";
        _client = new AmazonDynamoDBClient(
            new BasicAWSCredentials("local", "local"),
            new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" });
        RunStore = DynamoDbStores.Create(_client, _runsTable, _sensorDataTable).Runs;
        HistoryStore = DynamoDbStores.Create(_client, _runsTable, _sensorDataTable, RunRules.NoQuota).Runs;
        _host = await LambdaHostProcess.StartAsync(FunctionsEndpoint(endpoint), _runsTable, _sensorDataTable, ContainerBackend.GrafanaBaseUrl);
    }

    /// <summary>The tables as the test sees them: read directly, not through what the functions' requests go through.</summary>
    public IAmazonDynamoDB Store => Client;

    public string RunsTable => _runsTable;

    /// <summary>The host's function instances now, to stop one as Lambda may stop an execution environment.</summary>
    public IReadOnlyList<int> FunctionProcessIds() => Host.FunctionProcessIds();

    public string SensorDataTable => _sensorDataTable;

    /// <summary>What the host's functions write through; the store itself, unless a subclass puts something between.</summary>
    protected virtual string FunctionsEndpoint(string storeEndpoint) => storeEndpoint;

    public virtual async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _client?.Dispose();
        }
    }

    protected virtual Task<string> CreateStoreAsync() => Task.FromResult(TestDynamoDb.SharedServer);

    private async Task DeleteAllAsync(string table, params string[] keyAttributes)
    {
        var scan = new ScanRequest { TableName = table, ProjectionExpression = string.Join(", ", keyAttributes), ConsistentRead = true };
        do
        {
            var page = await Client.ScanAsync(scan);
            foreach (var chunk in (page.Items ?? []).Chunk(25))
            {
                var deletes = chunk.Select(key => new WriteRequest { DeleteRequest = new DeleteRequest { Key = key } }).ToList();
                var request = new Dictionary<string, List<WriteRequest>> { [table] = deletes };
                while (request.Count > 0)
                {
                    var response = await Client.BatchWriteItemAsync(new BatchWriteItemRequest { RequestItems = request });
                    request = response.UnprocessedItems ?? [];
                }
            }

            scan.ExclusiveStartKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (scan.ExclusiveStartKey is not null);
    }
}

/// <summary>The serverless backend on a DynamoDB-API server of its own, which the test stops and starts.</summary>
public sealed class ServerlessOutageBackend : ServerlessBackend, IOutageBackend
{
    private TestDynamoDb.OwnServer? _server;

    public Task StopStoreAsync() => _server!.StopAsync();

    public Task StartStoreAsync() => _server!.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    protected override async Task<string> CreateStoreAsync()
    {
        _server = await TestDynamoDb.StartOwnServerAsync();
        return _server.Endpoint;
    }
}

/// <summary>The serverless backend whose functions reach the shared DynamoDB Local through a <see cref="FaultProxy"/>.</summary>
public sealed class ServerlessFaultBackend : ServerlessBackend
{
    private FaultProxy? _proxy;

    public FaultProxy Proxy => _proxy ?? throw new InvalidOperationException("The backend has not started.");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }
    }

    protected override string FunctionsEndpoint(string storeEndpoint)
    {
        _proxy = FaultProxy.Start(storeEndpoint);
        return _proxy.Endpoint;
    }
}
