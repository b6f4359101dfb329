using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IotPlayground.Testing;

/// <summary>The contract's calls as a client makes them: raw JSON in and out, no server types.</summary>
public static class ApiCalls
{
    /// <summary>A call that sets a test's scene: a request as a named user that must answer one status, or the scene is wrong.</summary>
    public static async Task<JsonObject> SendExpectingAsync(
        this HttpClient client, string user, HttpMethod method, string path, HttpStatusCode expected, string? json = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = Request(method, path, user, json);
        using var response = await client.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}, not {(int)expected}: {body}");
        }

        return JsonNode.Parse(body.Length == 0 ? "{}" : body) as JsonObject ?? [];
    }

    public static HttpRequestMessage Request(HttpMethod method, string path, string? user = null, string? json = null)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (user is not null)
        {
            request.Headers.TryAddWithoutValidation("X-User", user);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return request;
    }

    public static Task<HttpResponseMessage> Post(this HttpClient client, string path, string? user, string? json = null) =>
        client.SendAsync(Request(HttpMethod.Post, path, user, json));

    public static Task<HttpResponseMessage> Get(this HttpClient client, string path) =>
        client.SendAsync(Request(HttpMethod.Get, path));

    public static Task<HttpResponseMessage> StartRun(this HttpClient client, string user, int duration = 600, int interval = 5) =>
        client.Post("/api/runs/start", user, $$"""{"duration":{{duration}},"interval":{{interval}}}""");

    public static async Task<JsonObject> StartedRun(this HttpClient client, string user, int duration = 600, int interval = 5)
    {
        using var response = await client.StartRun(user, duration, interval);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Json();
    }

    public static Task<HttpResponseMessage> PostReading(this HttpClient client, string user, string runId, string sensorId = "s1", double temperature = 21.5, DateTimeOffset? timestamp = null)
    {
        var reading = new JsonObject { ["runId"] = runId, ["sensorId"] = sensorId, ["temperature"] = temperature };
        if (timestamp is { } t)
        {
            reading["timestamp"] = t.ToString("O");
        }

        return client.Post("/api/sensors/data", user, reading.ToJsonString());
    }

    public static async Task<JsonObject> Json(this HttpResponseMessage response)
    {
        var node = await response.Content.ReadFromJsonAsync<JsonNode>();
        return Assert.IsType<JsonObject>(node);
    }

    public static async Task<JsonArray> JsonArray(this HttpResponseMessage response)
    {
        var node = await response.Content.ReadFromJsonAsync<JsonNode>();
        return Assert.IsType<JsonArray>(node);
    }

    public static async Task<JsonObject> GetJson(this HttpClient client, string path)
    {
        using var response = await client.Get(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    /// <summary>
    /// The status alone for a success, with the problem's code for a failure ("400 quota_exceeded"), or with the start of
    /// the body when it is not a problem: what a test tallies to say which answers it got.
    /// </summary>
    public static async Task<string> Outcome(this HttpResponseMessage response)
    {
        var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        if (response.IsSuccessStatusCode)
        {
            return status;
        }

        var body = await response.Content.ReadAsStringAsync();
        string? code = null;
        try
        {
            code = (string?)(JsonNode.Parse(body) as JsonObject)?["code"];
        }
        catch (JsonException)
        {
        }

        return $"{status} {code ?? body[..Math.Min(body.Length, 120)]}";
    }

    /// <summary>Asserts an RFC 9457 problem with the contract's code and returns it.</summary>
    public static async Task<JsonObject> AssertProblem(this HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Json();
        Assert.Equal(code, (string?)problem["code"]);
        Assert.Equal((int)status, (int?)problem["status"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["title"]));
        return problem;
    }

    public static string Id(this JsonObject run) => (string)run["id"]!;

    public static async Task<int> RunningCount(this HttpClient client) =>
        (int)(await client.GetJson("/api/runs/can-start"))["currentRunning"]!;

    public static async Task<int> StoredRunCount(this HttpClient client) =>
        ((JsonArray)(await client.GetJson("/api/runs?limit=100"))["items"]!).Count;

    /// <summary>Now, to the millisecond: the precision every store keeps.</summary>
    public static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
