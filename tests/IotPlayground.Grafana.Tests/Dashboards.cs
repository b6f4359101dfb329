using System.Text.Json.Nodes;

namespace IotPlayground.Grafana.Tests;

/// <summary>A dashboard file of apps/grafana/dashboards, read as Grafana reads it: panels (rows included), their queries, variables.</summary>
public sealed record Dashboard(string Architecture, string FileName, JsonObject Json)
{
    public string Uid => (string)Json["uid"]!;

    public string Title => (string)Json["title"]!;

    public IEnumerable<JsonObject> Variables => ((JsonArray?)Json["templating"]?["list"] ?? []).Cast<JsonObject>();

    /// <summary>Every panel that queries a datasource; rows only group them.</summary>
    public IEnumerable<JsonObject> Panels => AllPanels((JsonArray?)Json["panels"] ?? []).Where(p => (string?)p["type"] != "row");

    public IEnumerable<Query> Queries =>
        Panels.SelectMany(panel => ((JsonArray?)panel["targets"] ?? []).Cast<JsonObject>()
            .Select(target => new Query(this, (string)panel["title"]!, DatasourceOf(target) ?? DatasourceOf(panel)!, target)));

    public JsonObject Variable(string name) =>
        Variables.SingleOrDefault(v => (string?)v["name"] == name)
        ?? throw new InvalidOperationException($"{this}: no variable '{name}'.");

    public override string ToString() => $"dashboards/{Architecture}/{FileName}";

    public static Dashboard Load(string architecture, string fileName)
    {
        var path = Path.Combine(Repository.Grafana, "dashboards", architecture, fileName);
        return new Dashboard(architecture, fileName, (JsonObject)JsonNode.Parse(File.ReadAllText(path))!);
    }

    public static IReadOnlyList<Dashboard> Of(string architecture) =>
        Directory.GetFiles(Path.Combine(Repository.Grafana, "dashboards", architecture), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => Load(architecture, Path.GetFileName(path)))
            .ToList();

    public static IReadOnlyList<Dashboard> All() => [.. Of(Tests.Architecture.Ecs), .. Of(Tests.Architecture.Serverless)];

    public static DatasourceRef? DatasourceOf(JsonNode? node) =>
        node?["datasource"] is JsonObject ds ? new DatasourceRef((string?)ds["type"], (string?)ds["uid"]) : null;

    private static IEnumerable<JsonObject> AllPanels(JsonArray panels)
    {
        foreach (var panel in panels.Cast<JsonObject>())
        {
            yield return panel;
            foreach (var inner in AllPanels((JsonArray?)panel["panels"] ?? []))
            {
                yield return inner;
            }
        }
    }
}

public sealed record DatasourceRef(string? Type, string? Uid);

/// <summary>One query of one panel.</summary>
public sealed record Query(Dashboard Dashboard, string PanelTitle, DatasourceRef Datasource, JsonObject Target)
{
    public string RefId => (string?)Target["refId"] ?? "A";

    public string Text(string member) => (string?)Target[member]
        ?? throw new InvalidOperationException($"{this}: the query has no '{member}'.");

    public override string ToString() => $"{Dashboard} › '{PanelTitle}' › {RefId}";
}
