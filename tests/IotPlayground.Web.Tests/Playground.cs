using Npgsql;

namespace IotPlayground.Web.Tests;

/// <summary>
/// The local playground as a newcomer runs it: each backend as a real process on its own store, and the web page
/// served with a config.json naming them. One per test class, so every class starts with the whole quota free.
/// </summary>
public sealed class Playground : IAsyncLifetime
{
    private readonly List<LocalProcess> _processes = [];

    public Uri WebPage { get; private set; } = null!;

    public IReadOnlyList<LocalBackend> Backends { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var webPort = LocalProcess.FreePort();
        var webOrigin = $"http://127.0.0.1:{webPort}";
        var container = await StartContainerApiAsync(webOrigin);
        Backends = [container];

        var root = RepositoryRoot();
        WebPage = new Uri(webOrigin + "/");
        var arguments = new List<string> { Path.Combine(root, "apps", "web", "serve.mjs"), "--port", webPort.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var backend in Backends)
        {
            arguments.AddRange(["--backend", $"{backend.Id}={backend.Name}={backend.Url.ToString().TrimEnd('/')}"]);
        }

        _processes.Add(await LocalProcess.StartAsync("node", arguments, new Dictionary<string, string>(), WebPage));
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    private async Task<LocalBackend> StartContainerApiAsync(string webOrigin)
    {
        var url = new Uri($"http://127.0.0.1:{LocalProcess.FreePort()}/");
        var apiDll = Path.Combine(AppContext.BaseDirectory, "IotPlayground.Api.dll");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = await CreateDatabaseAsync(),
            ["Grafana__BaseUrl"] = "http://127.0.0.1:3000",
            ["Cors__AllowedOrigins__0"] = webOrigin,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        _processes.Add(await LocalProcess.StartAsync("dotnet", [apiDll, "--urls", url.ToString()], environment, new Uri(url, "/health")));
        return new LocalBackend("ecs", "Container (ECS)", url);
    }

    private static int _databases;

    private static async Task<string> CreateDatabaseAsync()
    {
        var server = Environment.GetEnvironmentVariable("IOTPLAYGROUND_TEST_POSTGRES")
            ?? throw new InvalidOperationException("IOTPLAYGROUND_TEST_POSTGRES is not set: run the tests with 'bash tests/run-all.sh'.");
        var name = $"web_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
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
}

public sealed record LocalBackend(string Id, string Name, Uri Url);
