using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using IotPlayground.Contract.Tests.Backends;
using Xunit.Abstractions;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Differential;

/// <summary>
/// The same requests, valid and hostile, to both backends in one run, in the same order from the same starting
/// state: each pair of answers must have the same status and the same problem code, and no answer may be a 5xx.
/// </summary>
public sealed class BackendsAnswerAlike(ContainerBackend container, ServerlessBackend serverless, ITestOutputHelper output)
    : IClassFixture<ContainerBackend>, IClassFixture<ServerlessBackend>
{
    private const string Unknown = "9d2c8e1e-3f57-4b0e-9a43-0c7c1f6b2d11";
    private const string FarFuture = "9999-12-31T23:59:59.9999999Z";
    private const string DeepPast = "0001-01-01T00:00:00Z";


    private static readonly Case[] Cases =
    [
        new("can-start", "GET", "/api/runs/can-start"),
        new("running", "GET", "/api/runs/running"),
        new("all", "GET", "/api/runs/all"),
        new("page", "GET", "/api/runs"),
        new("page limit 1", "GET", "/api/runs?limit=1"),
        new("page limit 100", "GET", "/api/runs?limit=100"),
        new("page limit 0", "GET", "/api/runs?limit=0"),
        new("page limit 101", "GET", "/api/runs?limit=101"),
        new("page limit -1", "GET", "/api/runs?limit=-1"),
        new("page limit 1.5", "GET", "/api/runs?limit=1.5"),
        new("page limit empty", "GET", "/api/runs?limit="),
        new("page limit huge", "GET", "/api/runs?limit=2147483648"),
        new("page limit twice", "GET", "/api/runs?limit=1&limit=500"),
        new("page cursor", "GET", "/api/runs?limit=1&cursor={runs}"),
        new("page cursor garbage", "GET", "/api/runs?cursor=not-a-cursor"),
        new("page cursor empty", "GET", "/api/runs?cursor="),
        new("page cursor of readings", "GET", "/api/runs?cursor={readings}"),
        new("run", "GET", "/api/runs/{run}"),
        new("run upper case", "GET", "/api/runs/{RUN}"),
        new("run unknown", "GET", $"/api/runs/{Unknown}"),
        new("run not a uuid", "GET", "/api/runs/not-a-uuid"),
        new("run braces", "GET", "/api/runs/%7B{run}%7D"),
        new("readings", "GET", "/api/sensors/data?runId={run}"),
        new("readings of a sensor", "GET", "/api/sensors/data?runId={run}&sensorId=s1"),
        new("readings far-future from", "GET", $"/api/sensors/data?runId={{run}}&from={FarFuture}"),
        new("readings far-future to", "GET", $"/api/sensors/data?runId={{run}}&to={FarFuture}"),
        new("readings deep-past to", "GET", $"/api/sensors/data?runId={{run}}&to={DeepPast}"),
        new("readings deep-past from", "GET", $"/api/sensors/data?runId={{run}}&from={DeepPast}&sensorId=s2"),
        new("readings from after to", "GET", "/api/sensors/data?runId={run}&from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z"),
        new("readings offset from", "GET", "/api/sensors/data?runId={run}&from=2026-01-01T00:00:00%2B14:00"),
        new("readings date-only from", "GET", "/api/sensors/data?runId={run}&from=2026-01-01"),
        new("readings from garbage", "GET", "/api/sensors/data?runId={run}&from=yesterday"),
        new("readings from number", "GET", "/api/sensors/data?runId={run}&from=1700000000"),
        new("readings limit 1000", "GET", "/api/sensors/data?runId={run}&limit=1000"),
        new("readings limit 1001", "GET", "/api/sensors/data?runId={run}&limit=1001"),
        new("readings limit 0", "GET", "/api/sensors/data?runId={run}&limit=0"),
        new("readings cursor", "GET", "/api/sensors/data?runId={run}&limit=1&cursor={readings}"),
        new("readings cursor garbage", "GET", "/api/sensors/data?runId={run}&cursor=%00%FF"),
        new("readings cursor of runs", "GET", "/api/sensors/data?runId={run}&cursor={runs}"),
        new("readings without run", "GET", "/api/sensors/data"),
        new("readings of unknown run", "GET", $"/api/sensors/data?runId={Unknown}"),
        new("readings run not a uuid", "GET", "/api/sensors/data?runId=42"),
        new("readings bad sensor", "GET", "/api/sensors/data?runId={run}&sensorId=%3Cscript%3E"),
        new("start duplicate keys", "POST", "/api/runs/start", "carol", """{"duration":60,"duration":70,"interval":5}"""),
        new("start unknown member", "POST", "/api/runs/start", "carol", """{"duration":60,"interval":5,"priority":"high"}"""),
        new("start unknown params member", "POST", "/api/runs/start", "carol", """{"duration":60,"interval":5,"params":{"sensorCount":2,"colour":"red"}}"""),
        new("start no user", "POST", "/api/runs/start", null, """{"duration":60,"interval":5}"""),
        new("start empty body", "POST", "/api/runs/start", "carol", ""),
        new("reading", "POST", "/api/sensors/data", "alice", """{"runId":"{run}","sensorId":"s3","temperature":19.5}"""),
        new("reading duplicate keys", "POST", "/api/sensors/data", "alice", """{"runId":"{run}","sensorId":"s3","temperature":19.5,"temperature":300}"""),
        new("reading unknown member", "POST", "/api/sensors/data", "alice", """{"runId":"{run}","sensorId":"s3","temperature":19.5,"unit":"F"}"""),
        new("reading far-future timestamp", "POST", "/api/sensors/data", "alice", $$"""{"runId":"{run}","sensorId":"s3","temperature":19.5,"timestamp":"{{FarFuture}}"}"""),
        new("reading deep-past timestamp", "POST", "/api/sensors/data", "alice", $$"""{"runId":"{run}","sensorId":"s3","temperature":19.5,"timestamp":"{{DeepPast}}"}"""),
        new("reading too hot", "POST", "/api/sensors/data", "alice", """{"runId":"{run}","sensorId":"s3","temperature":151}"""),
        new("reading unknown run", "POST", "/api/sensors/data", "alice", $$"""{"runId":"{{Unknown}}","sensorId":"s3","temperature":19.5}"""),
        new("batch empty", "POST", "/api/sensors/data", "alice", """{"readings":[]}"""),
        new("batch too big", "POST", "/api/sensors/data", "alice", $$"""{"readings":[{{string.Join(',', Enumerable.Repeat("""{"runId":"{run}","sensorId":"s4","temperature":20}""", 26))}}]}"""),
        new("batch duplicate reading", "POST", "/api/sensors/data", "alice", """{"readings":[{"runId":"{run}","sensorId":"s4","temperature":20,"timestamp":"{now}"},{"runId":"{run}","sensorId":"s4","temperature":21,"timestamp":"{now}"}]}"""),
        new("batch unknown member", "POST", "/api/sensors/data", "alice", """{"readings":[{"runId":"{run}","sensorId":"s4","temperature":20}],"source":"x"}"""),
        new("batch duplicate key", "POST", "/api/sensors/data", "alice", """{"readings":[],"readings":[{"runId":"{run}","sensorId":"s4","temperature":20}]}"""),
        new("wrong method start", "GET", "/api/runs/start"),
        new("wrong method can-start", "POST", "/api/runs/can-start", "alice"),
        new("wrong method put start", "PUT", "/api/runs/start", "alice", """{"duration":60,"interval":5}"""),
        new("wrong method delete run", "DELETE", "/api/runs/{run}", "alice"),
        new("wrong method post runs", "POST", "/api/runs", "alice", """{"duration":60,"interval":5}"""),
        new("wrong method patch readings", "PATCH", "/api/sensors/data", "alice", "{}"),
        new("wrong method finish", "GET", "/api/runs/{run}/finish"),
        new("no such resource", "GET", "/api/nowhere"),
        new("no such sensor resource", "GET", "/api/sensors/elsewhere"),
        new("finish not owner", "POST", "/api/runs/{run}/finish", "bob"),
        new("finish unknown", "POST", $"/api/runs/{Unknown}/finish", "alice"),
        new("finish not a uuid", "POST", "/api/runs/42/finish", "alice"),
        new("finish", "POST", "/api/runs/{run}/finish", "alice"),
        new("finish again", "POST", "/api/runs/{run}/finish", "alice"),
        new("reading after finish", "POST", "/api/sensors/data", "alice", """{"runId":"{run}","sensorId":"s3","temperature":19.5}"""),
        new("interrupt-all no user", "POST", "/api/runs/interrupt-all", null),
        new("interrupt-all", "POST", "/api/runs/interrupt-all", "referee"),
        new("finish interrupted", "POST", "/api/runs/{other}/finish", "bob"),
    ];

    [Fact]
    public async Task TheSameRequestsGetTheSameAnswersFromBothBackends()
    {
        Assert.True(Cases.Length >= 40);
        using var containerClient = container.CreateClient();
        using var serverlessClient = serverless.CreateClient();
        var backends = new[]
        {
            await Backend.PrepareAsync("container", container, containerClient),
            await Backend.PrepareAsync("serverless", serverless, serverlessClient),
        };

        var disagreements = new List<string>();
        var errors = new List<string>();
        foreach (var request in Cases)
        {
            var answers = new List<Answer>();
            foreach (var backend in backends)
            {
                var answer = await backend.SendAsync(request);
                answers.Add(answer);
                if (answer.Status >= 500)
                {
                    errors.Add($"{request.Name}: {backend.Name} answered {answer.Status} {answer.Code}");
                }
            }

            output.WriteLine($"{request.Name,-32} container {answers[0],-28} serverless {answers[1]}");
            if (answers[0] != answers[1])
            {
                disagreements.Add($"{request.Name} ({request.Method} {request.Path}): container {answers[0]}, serverless {answers[1]}");
            }
        }

        Assert.True(disagreements.Count == 0 && errors.Count == 0, string.Join(Environment.NewLine, [.. disagreements, .. errors]));
    }

    private sealed record Case(string Name, string Method, string Path, string? User = null, string? Body = null);

    private sealed record Answer(int Status, string? Code)
    {
        public override string ToString() => Code is null ? Status.ToString(CultureInfo.InvariantCulture) : $"{Status} {Code}";
    }

    /// <summary>One backend, emptied and given the same runs and readings as the other.</summary>
    private sealed class Backend(string name, HttpClient client, IReadOnlyDictionary<string, string> values)
    {
        public string Name => name;

        public static async Task<Backend> PrepareAsync(string name, IBackend backend, HttpClient client)
        {
            await backend.ResetAsync();
            var run = await client.StartedRun("alice", duration: 3_600, interval: 1);
            var other = await client.StartedRun("bob", duration: 3_600, interval: 1);
            var now = ApiCalls.Now();
            foreach (var (sensor, offset) in new[] { ("s1", 0), ("s2", 1), ("s1", 2) })
            {
                using var reading = await client.PostReading("alice", run.Id(), sensor, 21, now.AddMilliseconds(offset - 1_000));
                Assert.Equal(HttpStatusCode.Created, reading.StatusCode);
            }

            var runs = (string)(await client.GetJson("/api/runs?limit=1"))["nextCursor"]!;
            var readings = (string)(await client.GetJson($"/api/sensors/data?runId={run.Id()}&limit=1"))["nextCursor"]!;
            return new Backend(name, client, new Dictionary<string, string>
            {
                ["{run}"] = run.Id(),
                ["{RUN}"] = run.Id().ToUpperInvariant(),
                ["{other}"] = other.Id(),
                ["{runs}"] = Uri.EscapeDataString(runs),
                ["{readings}"] = Uri.EscapeDataString(readings),
                ["{now}"] = now.ToString("O", CultureInfo.InvariantCulture),
            });
        }

        public async Task<Answer> SendAsync(Case request)
        {
            using var message = ApiCalls.Request(new HttpMethod(request.Method), Fill(request.Path), request.User, request.Body is null ? null : Fill(request.Body));
            using var response = await client.SendAsync(message);
            string? code = null;
            if (response.Content.Headers.ContentType?.MediaType == "application/problem+json")
            {
                code = (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())?["code"];
            }

            return new Answer((int)response.StatusCode, code);
        }

        private string Fill(string text) => values.Aggregate(text, (filled, value) => filled.Replace(value.Key, value.Value, StringComparison.Ordinal));
    }
}
