using YamlDotNet.RepresentationModel;

namespace IotPlayground.Cdk.Tests;

/// <summary>Prometheus finds the API tasks under the private DNS name the backend stack registers.</summary>
public sealed class PrometheusScrapeConfigTests
{
    [Fact]
    public void TheApiJobScrapesTheRegisteredServiceOnItsMetricsPort()
    {
        var root = RepositoryRoot.Locate(AppContext.BaseDirectory);
        using var reader = new StreamReader(Path.Combine(root, "apps", "prometheus", "prometheus.yml"));
        var yaml = new YamlStream();
        yaml.Load(reader);

        var jobs = (YamlSequenceNode)((YamlMappingNode)yaml.Documents[0].RootNode)["scrape_configs"];
        var apiJob = jobs.Children.OfType<YamlMappingNode>()
            .Single(j => j.Children.ContainsKey("dns_sd_configs"));
        var discovery = (YamlMappingNode)((YamlSequenceNode)apiJob["dns_sd_configs"]).Children.Single();

        Assert.Equal(AppSettings.ContainerApi.MetricsPath, ((YamlScalarNode)apiJob["metrics_path"]).Value);
        Assert.Equal(
            [AppSettings.ServiceDiscovery.HostName(AppSettings.ServiceDiscovery.ApiServiceName)],
            ((YamlSequenceNode)discovery["names"]).Children.Select(n => ((YamlScalarNode)n).Value));
        Assert.Equal(AppSettings.ContainerApi.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ((YamlScalarNode)discovery["port"]).Value);
    }
}
