using IotPlayground.Lambda.Runtime;

namespace IotPlayground.Lambda.Tests;

/// <summary>The events API Gateway sends the functions for a client's request.</summary>
internal static class ProxyEvents
{
    /// <summary>The client's headers as given, and the Content-Type that a client sends with a JSON body.</summary>
    public static ApiGatewayProxyRequest Request(string method, string path, string? body, params (string Name, string Value)[] headers)
    {
        var all = headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase);
        if (body is not null)
        {
            all.TryAdd("Content-Type", "application/json");
        }

        return new() { HttpMethod = method, Path = path, Headers = all, Body = body };
    }
}
