using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IotPlayground.Compare;

/// <summary>The functions' JIT builds, their Native AOT builds, or Native AOT builds already published into a folder.</summary>
public sealed record FunctionBuilds(bool NativeAot, string? PublishedFolder = null);

/// <summary>
/// The local playground's two backends, started for a comparison by apps/backends.sh (the script the playground uses)
/// on free loopback ports, and stopped with their throwaway stores when disposed.
/// </summary>
public sealed class LocalBackends : IAsyncDisposable
{
    private readonly string _repository;
    private readonly string _directory;

    private LocalBackends(string repository, string directory, IReadOnlyDictionary<string, string> settings)
    {
        _repository = repository;
        _directory = directory;
        Settings = settings;
    }

    /// <summary>What backends.env says: ECS_URL, SERVERLESS_URL, POSTGRES, DYNAMODB, FUNCTIONS.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <param name="functions">Which builds of the Lambda functions the serverless host runs.</param>
    /// <param name="build">Whether to build the two hosts first; false when the solution's Release build is up to date.</param>
    public static async Task<LocalBackends> StartAsync(string repository, FunctionBuilds functions, bool build, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("iotplayground-compare-").FullName;
        var arguments = new List<string> { "apps/backends.sh", "start", directory };
        if (functions.PublishedFolder is { } published)
        {
            arguments.AddRange(["--functions", published]);
        }
        else if (functions.NativeAot)
        {
            arguments.Add("--aot");
        }

        if (!build)
        {
            arguments.Add("--no-build");
        }

        var environment = new Dictionary<string, string>
        {
            ["API_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SERVERLESS_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var (exitCode, output) = await RunAsync(repository, arguments, environment, cancellationToken);
        if (exitCode != 0)
        {
            await RunAsync(repository, ["apps/backends.sh", "stop", directory], environment, CancellationToken.None);
            throw new InvalidOperationException($"The local backends did not start (apps/backends.sh exited {exitCode}):\n{output}");
        }

        var settings = File.ReadAllLines(Path.Combine(directory, "backends.env"))
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        return new LocalBackends(repository, directory, settings);
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync(_repository, ["apps/backends.sh", "stop", _directory], new Dictionary<string, string>(), CancellationToken.None);
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(
        string repository,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = repository,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await errors);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
