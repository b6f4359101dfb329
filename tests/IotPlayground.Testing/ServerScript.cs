using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IotPlayground.Testing;

/// <summary>
/// The project's own server scripts (tests/scripts/postgres.sh, dynamodb-local.sh, prometheus.sh): each takes a command and
/// a folder of its own, and prints what a client needs (a connection string, an endpoint).
/// </summary>
public static class ServerScript
{
    public static async Task<string> RunAsync(string script, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [Repository.Path("tests", "scripts", script), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {string.Join(' ', arguments)} failed: {await error}");
        }

        return (await output).Trim();
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The variable tests/run-all.sh sets for a server it started for the whole run.</summary>
    public static string SharedServer(string variable, string what) =>
        Environment.GetEnvironmentVariable(variable)
        ?? throw new InvalidOperationException(
            $"{variable} is not set: run the tests with 'bash tests/run-all.sh', which starts {what} for them.");
}
