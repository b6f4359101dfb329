using System.Text.Json.Nodes;

namespace IotPlayground.Cdk.Tests.Security;

/// <summary>One resource of one synthesized template.</summary>
public sealed record TemplateResource(string Stack, string LogicalId, string ResourceType, JsonObject Props, JsonObject Template)
{
    public static IEnumerable<TemplateResource> All(IReadOnlyDictionary<string, JsonObject> templates) =>
        from template in templates
        from resource in template.Value["Resources"]!.AsObject()
        let body = resource.Value!.AsObject()
        select new TemplateResource(
            template.Key,
            resource.Key,
            body["Type"]!.GetValue<string>(),
            body["Properties"]?.AsObject() ?? [],
            template.Value);

    public static IEnumerable<TemplateResource> OfType(IReadOnlyDictionary<string, JsonObject> templates, string type) =>
        All(templates).Where(r => r.ResourceType == type);

    public Violation Violates(string rule, string detail) => new(rule, Stack, LogicalId, detail);

    /// <summary>True when some other resource of the same template refers to this one by Ref or GetAtt.</summary>
    public bool IsReferencedBy(JsonNode? node) => node switch
    {
        JsonObject o when o["Ref"] is JsonValue r => r.GetValue<string>() == LogicalId,
        JsonObject o when o["Fn::GetAtt"] is JsonArray a => a[0]!.GetValue<string>() == LogicalId,
        JsonObject o => o.Any(p => IsReferencedBy(p.Value)),
        JsonArray a => a.Any(IsReferencedBy),
        _ => false,
    };
}

public sealed record Violation(string Rule, string Stack, string LogicalId, string Detail)
{
    public override string ToString() => $"[{Rule}] {Stack}/{LogicalId}: {Detail}";
}
