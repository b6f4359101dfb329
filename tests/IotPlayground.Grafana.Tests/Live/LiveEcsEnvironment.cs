using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using IotPlayground.Domain;
using IotPlayground.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IotPlayground.Grafana.Tests.Live;

[CollectionDefinition(Name)]
public sealed class LiveEcsTests : ICollectionFixture<LiveEcsEnvironment>
{
    public const string Name = "ECS architecture, live";
}

/// <summary>
/// What the ECS environment's Grafana reads, for real: the container API on a real port (Kestrel) over its own
/// PostgreSQL database, after a run went through it (start, readings, finish), and a Prometheus from the Debian
/// package that scrapes the API's /metrics over HTTP with apps/prometheus/prometheus.yml. The API migrates as the
/// database's owner and creates Grafana's role, as whom the SQL panels then run.
/// </summary>
public sealed class LiveEcsEnvironment : IAsyncLifetime
{
    public const string User = "grafana.check";
    public static readonly IReadOnlyList<string> Sensors = ["greenhouse-1", "greenhouse-2"];
    public const int ReadingsPerSensor = 3;
    public const int Duration = 60;
    public const int Interval = 2;

    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    private WebApplicationFactory<Program>? _api;
    private string? _prometheusFolder;

    private readonly string _grafanaRole = TestPostgres.UniqueRoleName("grafana");
    private readonly string _grafanaPassword = TestPostgres.NewPassword();

    /// <summary>Logged in as the role Grafana's PostgreSQL datasource uses, which the API's migrations created.</summary>
    public string GrafanaConnectionString { get; private set; } = "";

    public HttpClient Prometheus { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public Guid RunId { get; private set; }

    public DateTimeOffset RunStartedAt { get; private set; }

    public DateTimeOffset TrafficStartedAt { get; private set; }

    /// <summary>What the domain says this run should receive: the figure the "expected" panels must show.</summary>
    public int ExpectedReadings => new Run(RunId, User, RunStatus.Completed, RunStartedAt, null, Duration, Interval,
        new RunParams(Sensors.Count, [Measure.Temperature, Measure.Humidity, Measure.Pressure]), EndReason.Finished).ExpectedReadings;

    public static int ReadingsSent => Sensors.Count * ReadingsPerSensor;

    /// <summary>Wide enough for every reading of the run, as the run's own link would give it.</summary>
    public TimeRange Window => new(RunStartedAt.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

    public async Task InitializeAsync()
    {
        var owner = await TestPostgres.CreateOwnedDatabaseAsync("grafana");
        GrafanaConnectionString = TestPostgres.As(owner, _grafanaRole, _grafanaPassword);
        var port = ServerScript.FreeLoopbackPort();
        _api = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting("ConnectionStrings:Postgres", owner)
            .UseSetting("Postgres:GrafanaRole:Username", _grafanaRole)
            .UseSetting("Postgres:GrafanaRole:Password", _grafanaPassword)
            .UseSetting("Grafana:BaseUrl", "https://grafana.test")
            .UseSetting("Logging:LogLevel:Default", "Warning"));
        _api.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        _api.StartServer();

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        TrafficStartedAt = DateTimeOffset.UtcNow;
        await SendTrafficAsync(client);

        _prometheusFolder = Path.Combine(Path.GetTempPath(), $"iotplayground-prometheus-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_prometheusFolder);
        var config = Path.Combine(_prometheusFolder, "prometheus.yml");
        await File.WriteAllTextAsync(config, PrometheusScrapeConfig.ForTestTarget(Repository.PrometheusConfig, $"127.0.0.1:{port}", ScrapeInterval));
        Prometheus.BaseAddress = new Uri(await ServerScript.RunAsync("prometheus.sh", "start", Path.Combine(_prometheusFolder, "server"), config));
    }

    public async Task DisposeAsync()
    {
        if (_prometheusFolder is not null)
        {
            await ServerScript.RunAsync("prometheus.sh", "stop", Path.Combine(_prometheusFolder, "server"));
            Directory.Delete(_prometheusFolder, recursive: true);
        }

        Prometheus.Dispose();
        if (_api is not null)
        {
            await _api.DisposeAsync();
        }
    }

    /// <summary>A run as a client drives it: start, a few batches of readings from two sensors, finish; and a miss.</summary>
    private async Task SendTrafficAsync(HttpClient client)
    {
        var run = await client.SendExpectingAsync(User, HttpMethod.Post, "/api/runs/start", HttpStatusCode.Created,
            $$$"""{"duration":{{{Duration}}},"interval":{{{Interval}}},"params":{"sensorCount":{{{Sensors.Count}}},"measures":["humidity","pressure"]}}""");
        RunId = Guid.Parse((string)run["id"]!);
        RunStartedAt = DateTimeOffset.Parse((string)run["startedAt"]!, System.Globalization.CultureInfo.InvariantCulture);

        for (var i = 0; i < ReadingsPerSensor; i++)
        {
            var readings = new JsonArray(Sensors.Select((sensor, s) => (JsonNode)new JsonObject
            {
                ["runId"] = RunId.ToString(),
                ["sensorId"] = sensor,
                ["temperature"] = 20.5 + i + s,
                ["humidity"] = 40.0 + i,
                ["pressure"] = 1013.0 - i,
            }).ToArray());
            await client.SendExpectingAsync(User, HttpMethod.Post, "/api/sensors/data", HttpStatusCode.Created, new JsonObject { ["readings"] = readings }.ToJsonString());
        }

        await client.SendExpectingAsync(User, HttpMethod.Get, $"/api/sensors/data?runId={RunId}", HttpStatusCode.OK);
        await client.SendExpectingAsync(User, HttpMethod.Post, $"/api/runs/{RunId}/finish", HttpStatusCode.OK);
        await client.SendExpectingAsync(User, HttpMethod.Get, $"/api/runs/{Guid.NewGuid()}", HttpStatusCode.NotFound);
    }
}
