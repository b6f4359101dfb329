using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IotPlayground.Postgres;

/// <summary>
/// <c>dotnet IotPlayground.Api.dll migrate</c>: applies the schema migrations and the roles with the owner's
/// credentials, then exits without serving HTTP. In ECS it runs as an init container of the API's task, from the
/// same image, before the API starts as the application role.
/// </summary>
public static partial class MigrateCommand
{
    public const string Name = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.AddPostgresMigrator();
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MigrateCommand));
        try
        {
            await host.Services.GetRequiredService<PostgresMigrator>().MigrateAsync(CancellationToken.None);
            LogMigrated(logger);
            return 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or OptionsValidationException or InvalidOperationException)
        {
            LogFailed(logger, ex.Message, ex);
            return 1;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migration done: schema and roles are up to date")]
    private static partial void LogMigrated(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Migration failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason, Exception exception);
}
