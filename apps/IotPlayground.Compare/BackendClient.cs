using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IotPlayground.Contract;

namespace IotPlayground.Compare;

/// <summary>
/// The calls the web page and a sensor make, timed one by one into a <see cref="SampleRecorder"/>. A call that gets no
/// answer, or an error status, is recorded and returns null: a workload goes on as a real client would.
/// </summary>
public sealed class BackendClient(HttpClient http, SampleRecorder recorder)
{
    public Task<QuotaResource?> CanStartAsync(CancellationToken cancellationToken) =>
        SendAsync("GET /api/runs/can-start", HttpMethod.Get, "api/runs/can-start", null, null, ContractJson.Wire.QuotaResource, cancellationToken);

    public Task<List<RunResource>?> RunningAsync(CancellationToken cancellationToken) =>
        SendAsync("GET /api/runs/running", HttpMethod.Get, "api/runs/running", null, null, ContractJson.Wire.ListRunResource, cancellationToken);

    public Task<PageResource<RunResource>?> HistoryAsync(CancellationToken cancellationToken) =>
        SendAsync("GET /api/runs", HttpMethod.Get, "api/runs?limit=10", null, null, ContractJson.Wire.PageResourceRunResource, cancellationToken);

    public Task<RunResource?> RunAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync("GET /api/runs/{id}", HttpMethod.Get, $"api/runs/{id}", null, null, ContractJson.Wire.RunResource, cancellationToken);

    public Task<PageResource<ReadingResource>?> ReadingsAsync(Guid runId, CancellationToken cancellationToken) =>
        SendAsync("GET /api/sensors/data", HttpMethod.Get, $"api/sensors/data?runId={runId}&limit=1000", null, null,
            ContractJson.Wire.PageResourceReadingResource, cancellationToken);

    public Task<RunResource?> StartAsync(string user, WorkloadProfile profile, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new
        {
            duration = profile.DurationSeconds,
            interval = profile.IntervalSeconds,
            @params = new { sensorCount = profile.Sensors, measures = Readings.Measures },
        });
        return SendAsync("POST /api/runs/start", HttpMethod.Post, "api/runs/start", user, body, ContractJson.Wire.RunResource, cancellationToken);
    }

    public Task<RunResource?> FinishAsync(string user, Guid id, CancellationToken cancellationToken) =>
        SendAsync("POST /api/runs/{id}/finish", HttpMethod.Post, $"api/runs/{id}/finish", user, null, ContractJson.Wire.RunResource, cancellationToken);

    public Task<InterruptedResource?> InterruptAllAsync(string user, CancellationToken cancellationToken) =>
        SendAsync("POST /api/runs/interrupt-all", HttpMethod.Post, "api/runs/interrupt-all", user, null, ContractJson.Wire.InterruptedResource, cancellationToken);

    /// <summary>One reading alone, or a batch: the two forms of POST /api/sensors/data, recorded apart.</summary>
    /// <returns>Whether the backend acknowledged the readings.</returns>
    public async Task<bool> SendReadingsAsync(string user, IReadOnlyList<ReadingResource> readings, CancellationToken cancellationToken)
    {
        if (readings.Count == 1)
        {
            var one = JsonSerializer.Serialize(readings[0], ContractJson.Wire.ReadingResource);
            return await SendAsync("POST /api/sensors/data", HttpMethod.Post, "api/sensors/data", user, one,
                ContractJson.Wire.ReadingResource, cancellationToken) is not null;
        }

        var batch = JsonSerializer.Serialize(new ReadingBatchResource(readings), ContractJson.Wire.ReadingBatchResource);
        return await SendAsync("POST /api/sensors/data (batch)", HttpMethod.Post, "api/sensors/data", user, batch,
            ContractJson.Wire.ReadingBatchResource, cancellationToken) is not null;
    }

    private async Task<T?> SendAsync<T>(
        string endpoint,
        HttpMethod method,
        string path,
        string? user,
        string? json,
        JsonTypeInfo<T> answer,
        CancellationToken cancellationToken)
        where T : class
    {
        using var request = new HttpRequestMessage(method, path);
        if (user is not null)
        {
            request.Headers.Add(HeaderNames.User, user);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        var sentAt = recorder.Clock.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var latency = recorder.Clock.GetElapsedTime(sentAt);
            var cold = response.Headers.TryGetValues(HeaderNames.ColdStart, out var values) && values.Contains("true");
            if (response.IsSuccessStatusCode)
            {
                recorder.Add(new(endpoint, recorder.SecondsSinceStart(sentAt), latency.TotalMilliseconds, (int)response.StatusCode, null, cold));
                return JsonSerializer.Deserialize(body, answer);
            }

            recorder.Add(new(endpoint, recorder.SecondsSinceStart(sentAt), latency.TotalMilliseconds, (int)response.StatusCode, ProblemCode(body), cold));
            return null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var code = ex is TaskCanceledException ? "timeout" : "unreachable";
            recorder.Add(new(endpoint, recorder.SecondsSinceStart(sentAt), recorder.Clock.GetElapsedTime(sentAt).TotalMilliseconds, 0, code, false));
            return null;
        }
    }

    /// <summary>The problem's stable <c>code</c>, or what the body was when it is not a problem (a gateway's own answer).</summary>
    private static string ProblemCode(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? code.GetString()!
                : "not a problem";
        }
        catch (JsonException)
        {
            return "not a problem";
        }
    }
}
