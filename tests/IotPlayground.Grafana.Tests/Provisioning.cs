using YamlDotNet.RepresentationModel;

namespace IotPlayground.Grafana.Tests;

/// <summary>The provisioning folder of one architecture, as entrypoint.sh hands it to Grafana.</summary>
public static class Provisioning
{
    public static string Folder(string architecture) => Path.Combine(Repository.Grafana, "provisioning", architecture);

    public static string DatasourcesFile(string architecture) => Path.Combine(Folder(architecture), "datasources", "datasources.yaml");

    public static IReadOnlyList<DatasourceRef> Datasources(string architecture)
    {
        var root = Load(DatasourcesFile(architecture));
        return ((YamlSequenceNode)root.Children[new YamlScalarNode("datasources")]).Children
            .Cast<YamlMappingNode>()
            .Select(ds => new DatasourceRef(Scalar(ds, "type"), Scalar(ds, "uid")))
            .ToList();
    }

    public static IReadOnlyList<YamlMappingNode> DashboardProviders(string architecture)
    {
        var root = Load(Path.Combine(Folder(architecture), "dashboards", "dashboards.yaml"));
        return ((YamlSequenceNode)root.Children[new YamlScalarNode("providers")]).Children.Cast<YamlMappingNode>().ToList();
    }

    public static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    public static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }
}
