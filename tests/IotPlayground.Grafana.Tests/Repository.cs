namespace IotPlayground.Grafana.Tests;

/// <summary>Files of the repository the tests read: the Grafana image's folder and the Prometheus configuration.</summary>
public static class Repository
{
    public static string Root => Testing.Repository.Root;

    public static string Grafana => Path.Combine(Root, "apps", "grafana");

    public static string PrometheusConfig => Path.Combine(Root, "apps", "prometheus", "prometheus.yml");
}
