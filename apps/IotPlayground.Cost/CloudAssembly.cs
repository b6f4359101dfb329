using System.Text.Json.Nodes;

namespace IotPlayground.Cost;

/// <summary>One synthesized stack: its name, where it deploys, and its resources.</summary>
public sealed record StackTemplate(string Name, string Region, JsonObject Resources)
{
    /// <summary>The shared stack that belongs to no environment.</summary>
    public const string Shared = "(shared)";

    /// <summary><c>dev</c> for <c>dev-EcsBackend</c>; stacks without an environment prefix are shared.</summary>
    public string Environment => Name.LastIndexOf('-') is var dash and > 0 ? Name[..dash] : Shared;

    /// <summary><c>EcsBackend</c> for <c>dev-EcsBackend</c>.</summary>
    public string Component => Name.LastIndexOf('-') is var dash and > 0 ? Name[(dash + 1)..] : Name;

    public IEnumerable<TemplateResource> All =>
        Resources.Select(r => new TemplateResource(this, r.Key, (string)r.Value!["Type"]!, r.Value["Properties"] as JsonObject ?? []));

    public IEnumerable<TemplateResource> OfType(string type) => All.Where(r => r.Type == type);

    public TemplateResource? Find(JsonNode? reference) =>
        reference?["Ref"] is JsonValue id && Resources[(string)id!] is not null
            ? All.Single(r => r.LogicalId == (string)id!)
            : null;
}

public sealed record TemplateResource(StackTemplate Stack, string LogicalId, string Type, JsonObject Properties)
{
    public string? Text(string property) => Properties[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public double? Number(string property) => Properties[property] switch
    {
        JsonValue value when value.TryGetValue<double>(out var number) => number,
        JsonValue value when double.TryParse((string?)value, System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>Whether <paramref name="node"/> refers to this resource (Ref or Fn::GetAtt).</summary>
    public bool IsReferencedBy(JsonNode? node) =>
        node?.ToJsonString() is { } json
        && (json.Contains($"\"Ref\":\"{LogicalId}\"", StringComparison.Ordinal)
            || json.Contains($"[\"{LogicalId}\",", StringComparison.Ordinal));
}

/// <summary>Reads the stacks of a cloud assembly (cdk.out) from its manifest.</summary>
public static class CloudAssembly
{
    public static IReadOnlyList<StackTemplate> Read(string directory)
    {
        var manifestFile = Path.Combine(directory, "manifest.json");
        if (!File.Exists(manifestFile))
        {
            throw new FileNotFoundException($"{manifestFile} not found: synthesize first (npx cdk synth -c bundling=false).", manifestFile);
        }

        var artifacts = JsonNode.Parse(File.ReadAllText(manifestFile))!["artifacts"]!.AsObject();
        return
        [
            .. artifacts
                .Where(a => (string?)a.Value!["type"] == "aws:cloudformation:stack")
                .Select(a =>
                {
                    var template = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, (string)a.Value!["properties"]!["templateFile"]!)))!;
                    var region = ((string)a.Value["environment"]!).Split('/')[^1];
                    return new StackTemplate(a.Key, region, template["Resources"]!.AsObject());
                })
                .OrderBy(s => s.Name, StringComparer.Ordinal),
        ];
    }
}
