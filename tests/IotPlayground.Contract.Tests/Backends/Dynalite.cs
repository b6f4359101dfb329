using System.Diagnostics;

namespace IotPlayground.Contract.Tests.Backends;

/// <summary>The DynamoDB-API servers the tests use, run by the project's own script (tests/scripts/dynalite.sh).</summary>
public static class Dynalite
{
    public const string SharedServerVariable = "IOTPLAYGROUND_TEST_DYNAMODB";

    /// <summary>The endpoint of the server tests/run-all.sh started for the whole run.</summary>
    public static string SharedServer =>
        Environment.GetEnvironmentVariable(SharedServerVariable)
        ?? throw new InvalidOperationException(
            $"{SharedServerVariable} is not set: run the tests with 'bash tests/run-all.sh', which starts a DynamoDB-API server for them.");

    /// <summary>A server of the caller's own, in a new folder: for tests that stop their server.</summary>
    public static async Task<OwnServer> StartOwnServerAsync()
    {
        var folder = Directory.CreateTempSubdirectory("iotplayground-dynalite-");
        var server = new OwnServer(folder.FullName);
        await server.StartAsync();
        return server;
    }

    private static async Task<string> RunScriptAsync(string command, string folder)
    {
        var script = Path.Combine(Postgres.RepositoryRoot(), "tests", "scripts", "dynalite.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, command, folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dynalite.sh {command} failed: {await error}");
        }

        return (await output).Trim();
    }

    public sealed class OwnServer(string folder) : IAsyncDisposable
    {
        public string Endpoint { get; private set; } = "";

        /// <summary>Starts the server, on the same port and with the same data after a stop.</summary>
        public async Task StartAsync() => Endpoint = await RunScriptAsync("start", folder);

        public Task StopAsync() => RunScriptAsync("stop", folder);

        public async ValueTask DisposeAsync() => await RunScriptAsync("remove", folder);
    }
}
