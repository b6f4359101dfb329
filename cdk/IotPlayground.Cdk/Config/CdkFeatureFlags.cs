using System.Text.Json.Nodes;

namespace IotPlayground.Cdk.Config;

/// <summary>
/// cdk.json's feature flags (the <c>@aws-cdk/...</c> context entries), which the CLI hands to the app. An app built
/// in-process (by the tests) must be given them too, or it synthesizes other templates than <c>cdk synth</c>.
/// </summary>
public static class CdkFeatureFlags
{
    public static Dictionary<string, object> Read(string cdkJson) =>
        JsonNode.Parse(File.ReadAllText(cdkJson))!["context"]!.AsObject()
            .Where(entry => entry.Key.StartsWith("@aws-cdk/", StringComparison.Ordinal))
            .ToDictionary(entry => entry.Key, entry => entry.Value switch
            {
                JsonArray values => (object)values.Select(v => v!.GetValue<string>()).ToArray(),
                JsonValue value when value.TryGetValue<bool>(out var flag) => flag,
                var value => value!.GetValue<string>(),
            });
}
