using System.Diagnostics;
using IotPlayground.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IotPlayground.Api.Tests.Roles;

/// <summary>The API's migrations, run as the owner: in this process through the migrator, or as the migrate command.</summary>
internal static class Migrations
{
    public static async Task RunAsync(string ownerConnectionString, ApplicationRoleOptions? application = null, GrafanaRoleOptions? grafana = null)
    {
        await using var dataSource = NpgsqlDataSource.Create(ownerConnectionString);
        var migrator = new PostgresMigrator(
            dataSource,
            Options.Create(application ?? new ApplicationRoleOptions()),
            Options.Create(grafana ?? new GrafanaRoleOptions()),
            NullLogger<PostgresMigrator>.Instance);
        await migrator.MigrateAsync(CancellationToken.None);
    }

    public sealed record CommandResult(int ExitCode, string Output);

    /// <summary><c>dotnet IotPlayground.Api.dll migrate</c>, as the image's entry point runs it, with settings as environment variables.</summary>
    public static async Task<CommandResult> RunCommandAsync(IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "IotPlayground.Api.dll"), MigrateCommand.Name])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(patience.Token);
        return new CommandResult(process.ExitCode, await output + await error);
    }
}
