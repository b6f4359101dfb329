using IotPlayground.Domain;
using Npgsql;

namespace IotPlayground.Api.Postgres;

public static class PostgresSetup
{
    /// <summary>
    /// The connection string comes from <c>ConnectionStrings:Postgres</c>; in ECS the credentials arrive apart, as
    /// secrets (<c>Postgres:Username</c>, <c>Postgres:Password</c>), and override what the string holds.
    /// </summary>
    public static void AddPostgresStores(this IHostApplicationBuilder builder)
    {
        builder.AddPostgresMigrator();
        builder.Services.AddOptions<PostgresOptions>().Bind(builder.Configuration.GetSection(PostgresOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<PostgresGuard>();
        builder.Services.AddSingleton<IRunStore, PostgresRunStore>();
        builder.Services.AddSingleton<ISensorDataStore, PostgresSensorDataStore>();
        builder.Services.AddHostedService<PostgresMigrationAtStartup>();
    }

    /// <summary>What the migrations need, and nothing of the API: the <c>migrate</c> command runs with only this.</summary>
    public static void AddPostgresMigrator(this IHostApplicationBuilder builder)
    {
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
public sealed class PostgresGuard(NpgsqlDataSource dataSource)
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
