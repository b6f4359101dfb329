using System.Diagnostics.Metrics;
using IotPlayground.Domain;

namespace IotPlayground.Api.Metrics;

public static class MetricsSetup
{
    /// <summary>ASP.NET Core's own meter gives the request duration histogram (http.server.request.duration).</summary>
    private static readonly string[] ExportedMeters = [ApiRunMetrics.MeterName, "Microsoft.AspNetCore.Hosting"];

    public static void AddPrometheusMetrics(this IServiceCollection services)
    {
        services.AddSingleton<ApiRunMetrics>();
        services.AddSingleton<IRunMetrics>(sp => sp.GetRequiredService<ApiRunMetrics>());
        services.AddSingleton(sp => new PrometheusExporter(sp.GetRequiredService<IMeterFactory>(), ExportedMeters));
    }

    public static RouteHandlerBuilder MapPrometheusMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Created now, before the first request: a listener sees no measurement made before it exists.
        var exporter = app.ServiceProvider.GetRequiredService<PrometheusExporter>();
        return app.MapGet("/metrics", () => TypedResults.Text(exporter.Scrape(), PrometheusExporter.ContentType))
            .ExcludeFromDescription();
    }
}
