using YamlDotNet.RepresentationModel;

namespace IotPlayground.Grafana.Tests.Live;

/// <summary>
/// The test's Prometheus runs apps/prometheus/prometheus.yml itself, with only what cannot work on a test machine
/// changed: the API jobs find their targets through Cloud Map DNS in ECS, here they scrape the test's API; and a
/// short interval, so that a test waits seconds for its scrapes. Job names, paths and relabelling stay as shipped,
/// so the dashboards' selectors meet the labels the real Prometheus gives.
/// </summary>
public static class PrometheusScrapeConfig
{
    private static readonly YamlScalarNode ScrapeConfigs = new("scrape_configs");
    private static readonly YamlScalarNode JobName = new("job_name");
    private static readonly YamlScalarNode DnsDiscovery = new("dns_sd_configs");

    public static IReadOnlySet<string> JobNames(string path) =>
        Jobs(Provisioning.Load(path)).Select(job => ((YamlScalarNode)job.Children[JobName]).Value!).ToHashSet(StringComparer.Ordinal);

    public static string ForTestTarget(string path, string apiAddress, TimeSpan scrapeInterval)
    {
        var root = Provisioning.Load(path);
        var interval = GrafanaTemplate.FormatDuration(scrapeInterval);
        var global = root.Children.TryGetValue(new YamlScalarNode("global"), out var g) ? (YamlMappingNode)g : new YamlMappingNode();
        global.Children[new YamlScalarNode("scrape_interval")] = new YamlScalarNode(interval);
        global.Children[new YamlScalarNode("evaluation_interval")] = new YamlScalarNode(interval);
        root.Children[new YamlScalarNode("global")] = global;

        var apiJobs = Jobs(root).Where(job => job.Children.ContainsKey(DnsDiscovery)).ToList();
        if (apiJobs.Count == 0)
        {
            throw new InvalidOperationException($"{path} has no job that discovers the API tasks through DNS.");
        }

        foreach (var job in apiJobs)
        {
            job.Children.Remove(DnsDiscovery);
            job.Children[new YamlScalarNode("static_configs")] = new YamlSequenceNode(
                new YamlMappingNode(new YamlScalarNode("targets"), new YamlSequenceNode(new YamlScalarNode(apiAddress))));
        }

        // Other jobs (Prometheus scraping itself on its ECS port) have nothing to scrape here.
        root.Children[ScrapeConfigs] = new YamlSequenceNode(apiJobs);

        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }

    private static IEnumerable<YamlMappingNode> Jobs(YamlMappingNode root) =>
        ((YamlSequenceNode)root.Children[ScrapeConfigs]).Children.Cast<YamlMappingNode>();
}
