using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace IotPlayground.Testing;

/// <summary>Calls that set a test's scene: a request as a named user that must answer one status, or the scene is wrong.</summary>
public static class ExpectedResponses
{
    public static async Task<JsonObject> SendExpectingAsync(
        this HttpClient client, string user, HttpMethod method, string path, HttpStatusCode expected, string? json = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("X-User", user);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}, not {(int)expected}: {body}");
        }

        return JsonNode.Parse(body.Length == 0 ? "{}" : body) as JsonObject ?? [];
    }
}
