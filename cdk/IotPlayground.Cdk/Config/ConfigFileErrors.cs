using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace IotPlayground.Cdk.Config;

/// <summary>
/// Turns what the serializer refuses into the message a person fixing cdk.json needs: the member's full path and what
/// belongs there, found by walking the JSON and <see cref="ConfigFile"/>'s generated contract side by side.
/// </summary>
internal static partial class ConfigFileErrors
{
    public static string Explain(JsonNode root, string rootPath, JsonException error)
    {
        var info = (JsonTypeInfo)ConfigFileJson.Default.ConfigFile;
        JsonNode? node = root;
        var path = rootPath;
        foreach (var segment in Segments(error.Path))
        {
            if (node is not JsonObject members)
            {
                break;
            }

            if (info.Kind == JsonTypeInfoKind.Dictionary)
            {
                info = TypeInfo(info.ElementType!);
            }
            else if (info.Properties.FirstOrDefault(p => p.Name == segment) is { } property)
            {
                info = TypeInfo(property.PropertyType);
            }
            else
            {
                return $"cdk.json: {path}.{segment} is not a setting cdk.json may hold; expected only {Names(info)}.";
            }

            path += "." + segment;
            if (!members.ContainsKey(segment))
            {
                return $"cdk.json: {path} is missing; expected {Expected(info)}.";
            }

            node = members[segment];
        }

        if (node is JsonObject present && info.Kind == JsonTypeInfoKind.Object)
        {
            if (present.Select(m => m.Key).FirstOrDefault(key => info.Properties.All(p => p.Name != key)) is { } unknown)
            {
                return $"cdk.json: {path}.{unknown} is not a setting cdk.json may hold; expected only {Names(info)}.";
            }

            var required = info.Properties.Where(p => p.IsRequired).Select(p => p.Name)
                .Concat(RequiredParameters(info));
            if (required.FirstOrDefault(name => !present.ContainsKey(name)) is { } missing)
            {
                var property = info.Properties.First(p => p.Name == missing);
                return $"cdk.json: {path}.{missing} is missing; expected {Expected(TypeInfo(property.PropertyType))}.";
            }
        }

        var written = node?.ToJsonString() ?? "null";
        return $"cdk.json: {path} is {written}; expected {Expected(info)}.";
    }

    /// <summary>Every string must say something and every number must be positive: no setting here means "none" by 0.</summary>
    public static void RefuseEmptyAndNonPositive(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject members:
                foreach (var (key, value) in members)
                {
                    RefuseEmptyAndNonPositive(value, $"{path}.{key}");
                }

                break;
            case JsonArray items:
                for (var i = 0; i < items.Count; i++)
                {
                    RefuseEmptyAndNonPositive(items[i], $"{path}[{i}]");
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length == 0:
                throw new ConfigurationException($"cdk.json: {path} is ''; expected a non-empty string.");
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number && value.GetValue<double>() <= 0:
                throw new ConfigurationException(
                    $"cdk.json: {path} is '{value.GetValue<double>().ToString(CultureInfo.InvariantCulture)}'; expected a positive number.");
        }
    }

    private static JsonTypeInfo TypeInfo(Type type) => ConfigFileJson.Default.GetTypeInfo(type)!;

    /// <summary>A positional record's members come as constructor parameters: all of them required.</summary>
    private static IEnumerable<string> RequiredParameters(JsonTypeInfo info) =>
        info.Properties.Where(p => p.AssociatedParameter is { HasDefaultValue: false }).Select(p => p.Name);

    private static string Names(JsonTypeInfo info) => string.Join(", ", info.Properties.Select(p => p.Name));

    private static string Expected(JsonTypeInfo info) => info.Type switch
    {
        var t when t == typeof(string) => "a string",
        var t when t == typeof(int) => "an integer",
        var t when t == typeof(double) => "a number",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(IReadOnlyList<string>) => "an array of strings",
        _ when info.Kind == JsonTypeInfoKind.Dictionary => "an object",
        _ => $"an object of {Names(info)}",
    };

    /// <summary>The member names of a serializer path such as <c>$.environments['serverless-dev'].nat</c>.</summary>
    private static IEnumerable<string> Segments(string? path) =>
        PathSegment().Matches(path ?? "$").Select(m => m.Groups["dotted"].Success ? m.Groups["dotted"].Value : m.Groups["quoted"].Value);

    [GeneratedRegex(@"\.(?<dotted>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]")]
    private static partial Regex PathSegment();
}
