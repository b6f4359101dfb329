using IotPlayground.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IotPlayground.Postgres;

public static class PostgresSetup
{
    /// <summary>
    /// The one way a host gets the PostgreSQL stores: <see cref="IRunStore"/>, <see cref="ISensorDataStore"/> and the
    /// <see cref="IStoreProbe"/> that /health asks, on one connection pool, with the quota of
    /// <see cref="PostgresOptions.MaxRunning"/>, and the migrations that run when the host starts (unless
    /// <see cref="PostgresOptions.MigrateAtStartup"/> is off).
    /// The connection string comes from <c>ConnectionStrings:Postgres</c>; in ECS the credentials arrive apart, as
    /// secrets (<c>Postgres:Username</c>, <c>Postgres:Password</c>), and override what the string holds.
    /// </summary>
    public static void AddPostgresStores(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddPostgresMigrator();
        builder.Services.AddOptions<PostgresOptions>()
            .Bind(builder.Configuration.GetSection(PostgresOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<PostgresGuard>();
        builder.Services.AddSingleton<IRunStore>(sp => new PostgresRunStore(
            sp.GetRequiredService<PostgresGuard>(), sp.GetRequiredService<IOptions<PostgresOptions>>().Value.MaxRunning));
        builder.Services.AddSingleton<ISensorDataStore, PostgresSensorDataStore>();
        builder.Services.AddSingleton<IStoreProbe, PostgresStoreProbe>();
        builder.Services.AddHostedService<PostgresMigrationAtStartup>();
    }

    /// <summary>What the migrations need, and nothing of the stores: the <c>migrate</c> command runs with only this.</summary>
    public static void AddPostgresMigrator(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(sp => NpgsqlDataSource.Create(BuildConnectionString(sp.GetRequiredService<IConfiguration>())));
        builder.Services.AddOptions<ApplicationRoleOptions>()
            .Bind(builder.Configuration.GetSection(ApplicationRoleOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<GrafanaRoleOptions>()
            .Bind(builder.Configuration.GetSection(GrafanaRoleOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<PostgresMigrator>();
    }

    public static string BuildConnectionString(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var configured = configuration.GetConnectionString("Postgres");
        if (string.IsNullOrWhiteSpace(configured))
        {
            throw new InvalidOperationException(
                "ConnectionStrings:Postgres is not set. Set the environment variable ConnectionStrings__Postgres, e.g. 'Host=127.0.0.1;Port=5432;Database=iotplayground;Username=iot'.");
        }

        var builder = new NpgsqlConnectionStringBuilder(configured)
        {
            // A store outage must turn into a quick 503, never a request that hangs.
            Timeout = 3,
            CommandTimeout = 5,
        };
        if (configuration["Postgres:Username"] is { Length: > 0 } username)
        {
            builder.Username = username;
        }

        if (configuration["Postgres:Password"] is { Length: > 0 } password)
        {
            builder.Password = password;
        }

        return builder.ConnectionString;
    }
}

/// <summary>Turns "PostgreSQL cannot be reached" into the domain's <see cref="StoreUnavailableException"/>.</summary>
internal sealed class PostgresGuard(NpgsqlDataSource dataSource)
{
    public async Task<T> RunAsync<T>(Func<NpgsqlDataSource, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return await work(dataSource);
        }
        catch (Exception ex) when (IsOutage(ex))
        {
            // Pooled connections to a server that went away are dead: drop them so recovery is immediate.
            dataSource.Clear();
            throw new StoreUnavailableException("PostgreSQL is unreachable.", ex);
        }
    }

    private static bool IsOutage(Exception ex) => ex switch
    {
        PostgresException pg => pg.IsTransient,
        NpgsqlException => true,
        TimeoutException => true,
        System.Net.Sockets.SocketException => true,
        InvalidOperationException { InnerException: NpgsqlException } => true,
        _ => false,
    };
}

/// <summary>Reachable when the server answers a statement on the stores' own pool.</summary>
internal sealed class PostgresStoreProbe(PostgresGuard guard) : IStoreProbe
{
    public Task CheckReachableAsync(CancellationToken cancellationToken) =>
        guard.RunAsync(async dataSource =>
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            return await command.ExecuteScalarAsync(cancellationToken);
        });
}
