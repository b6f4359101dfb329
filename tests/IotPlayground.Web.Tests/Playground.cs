using System.Globalization;
using IotPlayground.Testing;

namespace IotPlayground.Web.Tests;

/// <summary>
/// The local playground as a newcomer runs it: the container API and the local serverless host as real processes on
/// stores of their own, and the web page served with a config.json naming both, a Grafana beside them, and the compare
/// report at <see cref="ComparisonFile"/> once a test writes one. One per test class.
/// </summary>
public class Playground : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _servers = [];
    private readonly bool _grafana;

    public Playground()
        : this(grafana: true)
    {
    }

    protected Playground(bool grafana) => _grafana = grafana;

    /// <summary>Where the page server reads the compare tool's JSON report from, on each request.</summary>
    public string ComparisonFile { get; } = Path.Combine(Path.GetTempPath(), $"iotplayground-comparison-{Guid.NewGuid():N}.json");

    public Uri WebPage { get; private set; } = null!;

    public IReadOnlyList<LocalBackend> Backends { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var webPort = ServerScript.FreeLoopbackPort();
        var webOrigin = $"http://127.0.0.1:{webPort}";
        Backends = [await StartContainerApiAsync(webOrigin), await StartServerlessHostAsync(webOrigin)];

        WebPage = new Uri(webOrigin + "/");
        var arguments = new List<string> { Repository.Path("apps", "web", "serve.mjs"), "--port", webPort.ToString(CultureInfo.InvariantCulture) };
        foreach (var backend in Backends)
        {
            arguments.AddRange(["--backend", $"{backend.Id}={backend.Name}={backend.Url.ToString().TrimEnd('/')}"]);
        }

        arguments.AddRange(["--comparison", ComparisonFile]);
        if (!_grafana)
        {
            arguments.Add("--no-grafana");
        }

        _servers.Add(await LocalProcess.StartAsync("node", arguments, new Dictionary<string, string>(), WebPage));
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        File.Delete(ComparisonFile);
    }

    private async Task<LocalBackend> StartContainerApiAsync(string webOrigin)
    {
        var url = new Uri($"http://127.0.0.1:{ServerScript.FreeLoopbackPort()}/");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = await TestPostgres.CreateDatabaseAsync("web"),
            ["Grafana__BaseUrl"] = GrafanaBaseUrl,
            ["Cors__AllowedOrigins__0"] = webOrigin,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var apiDll = Path.Combine(AppContext.BaseDirectory, "IotPlayground.Api.dll");
        _servers.Add(await LocalProcess.StartAsync("dotnet", [apiDll, "--urls", url.ToString()], environment, new Uri(url, "/health")));
        return new LocalBackend("ecs", "Container (ECS)", url);
    }

    private async Task<LocalBackend> StartServerlessHostAsync(string webOrigin)
    {
        var tables = $"web_{Guid.NewGuid():N}";
        var host = await LambdaHostProcess.StartAsync(
            TestDynamoDb.SharedServer, $"{tables}_Runs", $"{tables}_SensorData", GrafanaBaseUrl, webOrigin);
        _servers.Add(host);
        return new LocalBackend("serverless", "Serverless", host.BaseAddress);
    }

    /// <summary>What the serverless host and its functions wrote last, for a failure message.</summary>
    public string Diagnostics(LocalBackend backend) =>
        backend.Id == "serverless" ? Environment.NewLine + _servers.OfType<LambdaHostProcess>().Single().RecentOutput : "";

    public const string GrafanaBaseUrl = "http://127.0.0.1:3000";
}

/// <summary>The local playground as it runs without a Grafana: the page must say so rather than link to none.</summary>
public sealed class PlaygroundWithoutGrafana() : Playground(grafana: false);

public sealed record LocalBackend(string Id, string Name, Uri Url);
