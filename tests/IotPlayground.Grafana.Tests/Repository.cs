namespace IotPlayground.Grafana.Tests;

/// <summary>Files of the repository the tests read: the Grafana image's folder and the Prometheus configuration.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Grafana => Path.Combine(Root, "apps", "grafana");

    public static string PrometheusConfig => Path.Combine(Root, "apps", "prometheus", "prometheus.yml");

    public static string Script(string name) => Path.Combine(Root, "tests", "scripts", name);

    private static string FindRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "IotPlayground.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("IotPlayground.sln not found above the test binaries.");
    }
}
