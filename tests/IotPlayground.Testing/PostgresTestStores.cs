using IotPlayground.Domain;
using IotPlayground.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IotPlayground.Testing;

/// <summary>
/// The PostgreSQL stores as a host gets them, through <see cref="PostgresSetup.AddPostgresStores"/>, on a database of the
/// caller's, with the quota the test needs; started, so that the schema is migrated.
/// </summary>
public sealed class PostgresTestStores : IAsyncDisposable
{
    private readonly IHost _host;

    private PostgresTestStores(IHost host) => _host = host;

    public IRunStore Runs => _host.Services.GetRequiredService<IRunStore>();

    public ISensorDataStore Readings => _host.Services.GetRequiredService<ISensorDataStore>();

    public IStoreProbe Probe => _host.Services.GetRequiredService<IStoreProbe>();

    /// <param name="migrate">False for a server that is not there: the migration would wait for it.</param>
    public static async Task<PostgresTestStores> StartAsync(string connectionString, int maxRunning = RunRules.MaxRunning, bool migrate = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration["ConnectionStrings:Postgres"] = connectionString;
        builder.Configuration["Postgres:MaxRunning"] = maxRunning.ToString(System.Globalization.CultureInfo.InvariantCulture);
        builder.Configuration["Postgres:MigrateAtStartup"] = migrate ? "true" : "false";
        builder.AddPostgresStores();
        var host = builder.Build();
        await host.StartAsync();
        return new PostgresTestStores(host);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
