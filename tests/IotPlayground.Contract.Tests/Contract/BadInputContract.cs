using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Contract;

/// <summary>Whatever a client sends, it gets a 4xx problem, never a 5xx, and nothing is stored.</summary>
public abstract class BadInputContract(IBackend backend) : ContractTest(backend)
{
    public static TheoryData<string> MalformedStartBodies() =>
    [
        "",
        "{",
        "not json",
        "[]",
        "null",
        "42",
        "{}",
        """{"duration":"60","interval":5}""",
        """{"duration":60.5,"interval":5}""",
        """{"duration":1e3,"interval":5}""",
        """{"duration":99999999999999999999,"interval":5}""",
        """{"duration":60,"interval":5,"extra":true}""",
        """{"duration":60,"interval":0}""",
        """{"duration":60,"interval":61}""",
        """{"duration":-1,"interval":1}""",
        """{"duration":60,"interval":5,"params":[]}""",
        """{"duration":60,"interval":5,"params":{"sensorCount":0}}""",
        """{"duration":60,"interval":5,"params":{"sensorCount":1000}}""",
        """{"duration":60,"interval":5,"params":{"measures":["radiation"]}}""",
        """{"duration":60,"interval":5,"params":{"measures":"humidity"}}""",
        """{"duration":60,"duration":70,"interval":5}""",
    ];

    public static TheoryData<string> HostileUsers() =>
    [
        "",
        " ",
        new string('a', 65),
        "bob smith",
        "<script>alert(1)</script>",
        "robert'); DROP TABLE runs;--",
        "ålice",
        "../../etc/passwd",
    ];

    [Theory]
    [MemberData(nameof(MalformedStartBodies))]
    public async Task AMalformedStartBodyIsAValidationProblem(string body)
    {
        await (await Client.Post("/api/runs/start", "alice", body)).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(0, await Client.StoredRunCount());
    }

    [Theory]
    [MemberData(nameof(HostileUsers))]
    public async Task EveryWriteRefusesAHostileUser(string user)
    {
        var run = await Client.StartedRun("alice");

        await (await Client.StartRun(user)).AssertProblem(HttpStatusCode.BadRequest, "invalid_user");
        await (await Client.Post($"/api/runs/{run.Id()}/finish", user)).AssertProblem(HttpStatusCode.BadRequest, "invalid_user");
        await (await Client.Post("/api/runs/interrupt-all", user)).AssertProblem(HttpStatusCode.BadRequest, "invalid_user");
        await (await Client.PostReading(user, run.Id())).AssertProblem(HttpStatusCode.BadRequest, "invalid_user");
        await (await Client.Post("/api/sensors/data", user, Batch(run.Id()))).AssertProblem(HttpStatusCode.BadRequest, "invalid_user");

        Assert.Equal(1, await Client.StoredRunCount());
        Assert.Equal("RUNNING", (string?)(await Client.GetJson($"/api/runs/{run.Id()}"))["status"]);
        Assert.Empty((JsonArray)(await Client.GetJson($"/api/sensors/data?runId={run.Id()}"))["items"]!);
    }

    [Fact]
    public async Task EveryWriteRefusesAMissingUser()
    {
        var run = await Client.StartedRun("alice");

        await (await Client.StartRun(null!)).AssertProblem(HttpStatusCode.BadRequest, "invalid_user");
        await (await Client.Post($"/api/runs/{run.Id()}/finish", null)).AssertProblem(HttpStatusCode.BadRequest, "invalid_user");
        await (await Client.Post("/api/runs/interrupt-all", null)).AssertProblem(HttpStatusCode.BadRequest, "invalid_user");
        await (await Client.PostReading(null!, run.Id())).AssertProblem(HttpStatusCode.BadRequest, "invalid_user");
        await (await Client.Post("/api/sensors/data", null, Batch(run.Id()))).AssertProblem(HttpStatusCode.BadRequest, "invalid_user");

        Assert.Equal(1, await Client.RunningCount());
        Assert.Equal("RUNNING", (string?)(await Client.GetJson($"/api/runs/{run.Id()}"))["status"]);
        Assert.Empty((JsonArray)(await Client.GetJson($"/api/sensors/data?runId={run.Id()}"))["items"]!);
    }

    /// <summary>A valid batch of two readings: only its user is wrong.</summary>
    private static string Batch(string runId) =>
        $$"""{"readings":[{"runId":"{{runId}}","sensorId":"s1","temperature":20},{"runId":"{{runId}}","sensorId":"s2","temperature":21}]}""";

    [Fact]
    public async Task AnOversizedBodyIsRefusedAndNothingStored()
    {
        var run = await Client.StartedRun("alice");
        var padding = new string(' ', 40 * 1024);

        await (await Client.Post("/api/runs/start", "alice", $$"""{"duration":60,{{padding}}"interval":5}"""))
            .AssertProblem(HttpStatusCode.RequestEntityTooLarge, "validation_failed");
        await (await Client.Post("/api/sensors/data", "alice", $$"""{"runId":"{{run.Id()}}",{{padding}}"sensorId":"s1","temperature":20}"""))
            .AssertProblem(HttpStatusCode.RequestEntityTooLarge, "validation_failed");

        Assert.Equal(1, await Client.StoredRunCount());
        Assert.Empty((JsonArray)(await Client.GetJson($"/api/sensors/data?runId={run.Id()}"))["items"]!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("""{"runId":"not-a-uuid","sensorId":"s1","temperature":20}""")]
    [InlineData("""{"runId":"RUN","sensorId":"s1","temperature":"hot"}""")]
    [InlineData("""{"runId":"RUN","sensorId":"","temperature":20}""")]
    [InlineData("""{"runId":"RUN","sensorId":"s 1","temperature":20}""")]
    [InlineData("""{"runId":"RUN","sensorId":"s1","temperature":20,"timestamp":"soon"}""")]
    [InlineData("""{"runId":"RUN","sensorId":"s1","temperature":20,"color":"red"}""")]
    [InlineData("""{"readings":[]}""")]
    [InlineData("""{"readings":[null]}""")]
    [InlineData("""{"readings":{"runId":"RUN"}}""")]
    [InlineData("""{"readings":[{"runId":"RUN","sensorId":"s1","temperature":20},{"runId":"RUN","sensorId":"s1","temperature":21,"timestamp":"2020-01-01T00:00:00Z"}]}""")]
    [InlineData("""{"readings":[{"runId":"RUN","sensorId":"s1","temperature":20,"timestamp":"TS"},{"runId":"RUN","sensorId":"s1","temperature":21,"timestamp":"TS"}]}""")]
    public async Task AMalformedReadingIsAValidationProblemAndNothingIsStored(string template)
    {
        var run = await Client.StartedRun("alice");
        var body = template.Replace("RUN", run.Id(), StringComparison.Ordinal)
            .Replace("TS", DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O"), StringComparison.Ordinal);

        await (await Client.Post("/api/sensors/data", "alice", body)).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Empty((JsonArray)(await Client.GetJson($"/api/sensors/data?runId={run.Id()}"))["items"]!);
    }

    [Theory]
    [InlineData("/api/runs/%27%20OR%201%3D1")]
    [InlineData("/api/runs/00000000-0000-0000-0000-00000000000G")]
    [InlineData("/api/runs/%7B00000000-0000-0000-0000-000000000001%7D")]
    public async Task AMalformedRunIdIsAValidationProblem(string path)
    {
        await (await Client.Get(path)).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/API/RUNS")]
    [InlineData("/api/Runs/running")]
    public async Task AnUnknownRouteIsAProblemToo(string path)
    {
        await (await Client.Get(path)).AssertProblem(HttpStatusCode.NotFound, "validation_failed");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/jsonp")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task ABodyNotSentAsJsonIsRefusedAndNothingStored(string? contentType)
    {
        var run = await Client.StartedRun("alice");

        var problem = await (await PostAs("/api/runs/start", """{"duration":60,"interval":5}""", contentType))
            .AssertProblem(HttpStatusCode.UnsupportedMediaType, "validation_failed");
        Assert.Contains("application/json", (string?)problem["detail"], StringComparison.Ordinal);
        await (await PostAs("/api/sensors/data", $$"""{"runId":"{{run.Id()}}","sensorId":"s1","temperature":20}""", contentType))
            .AssertProblem(HttpStatusCode.UnsupportedMediaType, "validation_failed");

        Assert.Equal(1, await Client.StoredRunCount());
        Assert.Empty((JsonArray)(await Client.GetJson($"/api/sensors/data?runId={run.Id()}"))["items"]!);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    public async Task AJsonBodyIsReadWhateverTheCaseAndParametersOfItsMediaType(string contentType)
    {
        using var started = await PostAs("/api/runs/start", """{"duration":60,"interval":5}""", contentType);

        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
    }

    [Theory]
    [InlineData("/api/runs?limit=1&limit=2")]
    [InlineData("/api/runs?limit=1&LIMIT=2")]
    [InlineData("/api/runs?LIMIT=0")]
    [InlineData("/api/sensors/data?runId=RUN&runId=RUN")]
    [InlineData("/api/sensors/data?runId=RUN&sensorId=s1&sensorId=s2")]
    public async Task AQueryParameterGivenTwiceOrOutOfRangeInAnyCaseIsAValidationProblem(string template)
    {
        var run = await Client.StartedRun("alice");

        await (await Client.Get(template.Replace("RUN", run.Id(), StringComparison.Ordinal)))
            .AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }

    private async Task<HttpResponseMessage> PostAs(string path, string json, string? contentType)
    {
        using var request = ApiCalls.Request(HttpMethod.Post, path, "alice");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        return await Client.SendAsync(request);
    }
}

public sealed class ContainerBadInput(ThroughPrism<ContainerBackend> backend) : BadInputContract(backend), IClassFixture<ThroughPrism<ContainerBackend>>;
public sealed class ServerlessBadInput(ThroughPrism<ServerlessBackend> backend) : BadInputContract(backend), IClassFixture<ThroughPrism<ServerlessBackend>>;
