using System.Diagnostics;
using Npgsql;

namespace IotPlayground.Contract.Tests.Backends;

/// <summary>The PostgreSQL servers the tests use, run by the project's own script (tests/scripts/postgres.sh).</summary>
public static class Postgres
{
    public const string SharedClusterVariable = "IOTPLAYGROUND_TEST_POSTGRES";

    private static int _databases;

    /// <summary>The cluster tests/run-all.sh started for the whole run.</summary>
    public static string SharedCluster =>
        Environment.GetEnvironmentVariable(SharedClusterVariable)
        ?? throw new InvalidOperationException(
            $"{SharedClusterVariable} is not set: run the tests with 'bash tests/run-all.sh', which starts a PostgreSQL cluster for them.");

    /// <summary>A new, empty database on the shared cluster.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using (var connection = new NpgsqlConnection(SharedCluster))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(SharedCluster) { Database = name }.ConnectionString;
    }

    /// <summary>A cluster of the caller's own, in a new folder: for tests that stop their server.</summary>
    public static async Task<OwnCluster> StartOwnClusterAsync()
    {
        var folder = Directory.CreateTempSubdirectory("iotplayground-pg-");
        // The cluster runs as the postgres user when the tests run as root: it must reach the folder.
        if (!OperatingSystem.IsWindows())
        {
            folder.UnixFileMode |= UnixFileMode.OtherExecute | UnixFileMode.GroupExecute;
        }
        var cluster = new OwnCluster(Path.Combine(folder.FullName, "cluster"), folder.FullName);
        await cluster.StartAsync();
        return cluster;
    }

    public static async Task<string> RunScriptAsync(string command, string folder)
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "scripts", "postgres.sh");
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
            throw new InvalidOperationException($"postgres.sh {command} failed: {await error}");
        }

        return (await output).Trim();
    }

    public static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "IotPlayground.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("IotPlayground.sln not found above the test binaries.");
    }

    public sealed class OwnCluster(string folder, string parent) : IAsyncDisposable
    {
        public string ConnectionString { get; private set; } = "";

        public async Task StartAsync() => ConnectionString = await RunScriptAsync("start", folder);

        public Task StopAsync() => RunScriptAsync("stop", folder);

        public async ValueTask DisposeAsync()
        {
            await RunScriptAsync("remove", folder);
            Directory.Delete(parent, recursive: true);
        }
    }
}
