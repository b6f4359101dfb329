using IotPlayground.Domain;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Backends;

/// <summary>
/// The container API on a database of its own in the shared PostgreSQL cluster, served by Kestrel on a loopback port as
/// in production (so that a proxy may stand in front of it).
/// </summary>
public class ContainerBackend : IBackend, IAsyncLifetime
{
    public const string GrafanaBaseUrl = "https://grafana.test";
    public const string FrontendOrigin = "https://app.test";

    private WebApplicationFactory<Program>? _factory;
    private PostgresTestStores? _history;

    protected string ConnectionString { get; private set; } = "";

    protected WebApplicationFactory<Program> Factory => _factory ?? throw new InvalidOperationException("The backend has not started.");

    public IRunStore RunStore => Factory.Services.GetRequiredService<IRunStore>();

    public IRunStore HistoryStore => _history?.Runs ?? throw new InvalidOperationException("The backend has not started.");

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient CreateClient() => LoopbackClient.Create(BaseAddress);

    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("TRUNCATE sensor_data, runs", connection);
        await command.ExecuteNonQueryAsync();
    }

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await CreateStoreAsync();
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting("ConnectionStrings:Postgres", ConnectionString)
            .UseSetting("Grafana:BaseUrl", GrafanaBaseUrl)
            .UseSetting("Cors:AllowedOrigins:0", FrontendOrigin)
            .UseSetting("Logging:LogLevel:Default", "Warning")
            .UseUrls("http://127.0.0.1:0"));
        _factory.UseKestrel();
        _factory.StartServer();
        BaseAddress = new Uri(_factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = CreateClient();
        (await client.GetAsync(new Uri("/health", UriKind.Relative))).EnsureSuccessStatusCode();
        _history = await PostgresTestStores.StartAsync(ConnectionString, RunRules.NoQuota);
    }

    public virtual async Task DisposeAsync()
    {
        if (_history is not null)
        {
            await _history.DisposeAsync();
        }

        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }

    protected virtual Task<string> CreateStoreAsync() => TestPostgres.CreateDatabaseAsync("contract");
}

/// <summary>The container API on a PostgreSQL cluster of its own, which the test stops and starts.</summary>
public sealed class ContainerOutageBackend : ContainerBackend, IOutageBackend
{
    private TestPostgres.OwnCluster? _cluster;

    public Task StopStoreAsync() => _cluster!.StopAsync();

    public Task StartStoreAsync() => _cluster!.StartAsync();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    protected override async Task<string> CreateStoreAsync()
    {
        _cluster = await TestPostgres.StartOwnClusterAsync();
        return _cluster.ConnectionString;
    }
}
