using System.Text.Json.Nodes;

namespace IotPlayground.Testing;

/// <summary>
/// Reads a process's structured log as CloudWatch Logs Insights does: one JSON object per line; any other line (a
/// host's own text output, a blank line) is not a log event.
/// </summary>
public static class JsonLogLines
{
    public static IReadOnlyList<JsonObject> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonNode.Parse(line) as JsonObject)
            .OfType<JsonObject>()
            .ToList();
    }

    /// <summary>The events whose <c>message</c> is <paramref name="message"/>.</summary>
    public static IReadOnlyList<JsonObject> WithMessage(this IReadOnlyList<JsonObject> lines, string message) =>
        lines.Where(line => (string?)line["message"] == message).ToList();
}
