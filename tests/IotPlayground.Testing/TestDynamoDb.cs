namespace IotPlayground.Testing;

/// <summary>The DynamoDB-API servers the tests use, run by tests/scripts/dynamodb-local.sh (AWS DynamoDB Local).</summary>
public static class TestDynamoDb
{
    public const string SharedServerVariable = "IOTPLAYGROUND_TEST_DYNAMODB";

    /// <summary>The endpoint of the server tests/run-all.sh started for the whole run.</summary>
    public static string SharedServer => ServerScript.SharedServer(SharedServerVariable, "a DynamoDB-API server");

    /// <summary>A server of the caller's own, in a new folder: for tests that stop their server.</summary>
    public static async Task<OwnServer> StartOwnServerAsync()
    {
        var server = new OwnServer(Directory.CreateTempSubdirectory("iotplayground-dynamodb-").FullName);
        await server.StartAsync();
        return server;
    }

    public sealed class OwnServer(string folder) : IAsyncDisposable
    {
        public string Endpoint { get; private set; } = "";

        /// <summary>Starts the server, on the same port and with the same data after a stop.</summary>
        public async Task StartAsync() => Endpoint = await ServerScript.RunAsync("dynamodb-local.sh", "start", folder);

        public Task StopAsync() => ServerScript.RunAsync("dynamodb-local.sh", "stop", folder);

        public async ValueTask DisposeAsync() => await ServerScript.RunAsync("dynamodb-local.sh", "remove", folder);
    }
}
