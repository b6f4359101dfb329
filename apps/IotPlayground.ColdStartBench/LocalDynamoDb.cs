using Amazon.DynamoDBv2;
using Amazon.Runtime;
using IotPlayground.DynamoDb;

namespace IotPlayground.ColdStartBench;

/// <summary>The DynamoDB-API server the function writes to: the one AWS_ENDPOINT_URL_DYNAMODB names, or a DynamoDB Local of its own.</summary>
internal sealed class LocalDynamoDb : IAsyncDisposable
{
    public const string RunsTable = "ColdStartRuns";
    public const string SensorDataTable = "ColdStartSensorData";

    private readonly string? _ownServer;

    private LocalDynamoDb(string endpoint, string? ownServer)
    {
        Endpoint = endpoint;
        _ownServer = ownServer;
    }

    public string Endpoint { get; }

    public static async Task<LocalDynamoDb> StartAsync(string repository, string work)
    {
        var configured = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB");
        var ownServer = configured is null ? Path.Combine(work, "dynamodb") : null;
        var endpoint = configured
            ?? await Processes.RunAsync("bash", [Path.Combine(repository, "tests", "scripts", "dynamodb-local.sh"), "start", ownServer!]);
        var database = new LocalDynamoDb(endpoint, ownServer);
        using var client = new AmazonDynamoDBClient(
            new BasicAWSCredentials("local", "local"), new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = "us-east-1" });
        await DynamoDbSchema.EnsureTablesAsync(client, RunsTable, SensorDataTable, CancellationToken.None);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownServer is not null)
        {
            await Processes.RunAsync("bash", [Path.Combine(Repository.Root(), "tests", "scripts", "dynamodb-local.sh"), "remove", _ownServer]);
        }
    }
}
