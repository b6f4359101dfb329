using System.ComponentModel.DataAnnotations;
using IotPlayground.Contract;
using IotPlayground.Domain;
using Microsoft.Extensions.Options;

namespace IotPlayground.Api;

public sealed class GrafanaOptions
{
    public const string Section = SettingNames.ContainerApi.GrafanaSection;

    /// <summary>Where the runs' dashboard links point, e.g. https://grafana-iot.example.com.</summary>
    [Required]
    [Url]
    public string BaseUrl { get; set; } = "";
}

/// <summary>The web frontend's origins (e.g. https://app-iot.example.com), which may call this API from a browser.</summary>
public sealed class CorsOptions
{
    public const string Section = SettingNames.ContainerApi.CorsSection;

    public string[] AllowedOrigins { get; set; } = [];
}

public static class RunDomainSetup
{
    public static void AddFrontendCors(this WebApplicationBuilder builder)
    {
        var origins = builder.Configuration.GetSection(CorsOptions.Section).Get<CorsOptions>()?.AllowedOrigins ?? [];
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .WithMethods([.. CorsRule.Methods])
            .WithHeaders([.. CorsRule.RequestHeaders])
            .WithExposedHeaders([.. CorsRule.ExposedHeaders])
            .SetPreflightMaxAge(CorsRule.PreflightMaxAge)));
    }

    public static void AddRunDomain(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<GrafanaOptions>()
            .Bind(builder.Configuration.GetSection(GrafanaOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new GrafanaLinks(new Uri(sp.GetRequiredService<IOptions<GrafanaOptions>>().Value.BaseUrl)));
        builder.Services.AddSingleton<RunService>();
        builder.Services.AddSingleton<SensorDataService>();
        builder.Services.AddHostedService<RunSweeper>();
    }
}

/// <summary>Closes runs whose clients went away even when nobody reads them, and keeps the running gauge current.</summary>
internal sealed partial class RunSweeper(RunService runs, Metrics.ApiRunMetrics metrics, TimeProvider clock, ILogger<RunSweeper> logger)
    : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, clock);
        while (await NextTickAsync(timer, stoppingToken))
        {
            try
            {
                var expired = await runs.SweepAsync(stoppingToken);
                metrics.SetRunning((await runs.CanStartAsync(stoppingToken)).CurrentRunning);
                if (expired > 0)
                {
                    LogExpired(expired);
                }
            }
            catch (StoreUnavailableException ex)
            {
                LogStoreUnavailable(ex.Message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed sweep is retried on the next tick; it must not stop the API.
                LogSweepFailed(ex);
            }
        }
    }

    /// <summary>False once the host stops, also when it stops because it failed to start.</summary>
    private static async Task<bool> NextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Closed {Count} runs past their deadline")]
    private partial void LogExpired(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run sweep failed")]
    private partial void LogSweepFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run sweep skipped: {Reason}")]
    private partial void LogStoreUnavailable(string reason);
}
