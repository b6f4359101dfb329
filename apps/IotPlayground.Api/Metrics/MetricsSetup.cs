using IotPlayground.Domain;
using Microsoft.Extensions.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace IotPlayground.Api.Metrics;

/// <summary>
/// Exports this host's meters at /metrics through OpenTelemetry's Prometheus exporter: the business meter, ASP.NET
/// Core's (http.server.request.duration becomes http_server_request_duration_seconds) and Npgsql's.
/// </summary>
public static class MetricsSetup
{
    public const string Path = "/metrics";

    /// <summary>The name under which OpenTelemetry registers its <see cref="IMetricsListener"/>.</summary>
    private const string OpenTelemetryListener = "OpenTelemetry";

    public static void AddPrometheusMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ApiRunMetrics>();
        services.AddSingleton<IRunMetrics>(sp => sp.GetRequiredService<ApiRunMetrics>());

        // Subscriptions go through IMetricsBuilder rather than MeterProviderBuilder.AddMeter, which listens to a
        // meter name process-wide: with MeterScope.Local only the meters of this host's own IMeterFactory are
        // exported, so several API hosts in one process (the tests) never count each other's runs or requests.
        services.AddMetrics(metrics => metrics
            .EnableMetrics(ApiRunMetrics.MeterName, instrumentName: null, OpenTelemetryListener, MeterScope.Local)
            .EnableMetrics("Microsoft.AspNetCore", instrumentName: null, OpenTelemetryListener, MeterScope.Local)
            // Npgsql's meter is static, one per process; its series name their data source.
            .EnableMetrics("Npgsql", instrumentName: null, OpenTelemetryListener, MeterScope.Global));

        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            // Prometheus reserves _count for histograms and summaries (promtool refuses the gauge
            // db_client_connection_count): the name the earlier semantic conventions and Npgsql 8 gave it.
            .AddView("db.client.connection.count", "db.client.connections.usage")
            .AddPrometheusExporter(options =>
            {
                // The dashboards select series by name and their own labels; an otel_scope_name label on every
                // series and a target_info series say nothing that the scrape job does not.
                options.ScopeInfoEnabled = false;
                options.TargetInfoEnabled = false;
            }));
    }

    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.MapPrometheusScrapingEndpoint(Path).ExcludeFromDescription();
    }
}
