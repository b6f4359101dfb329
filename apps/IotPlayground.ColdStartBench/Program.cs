using System.Globalization;
using System.Text.Json;
using IotPlayground.ColdStartBench;

// Cold start of both functions: from starting a bootstrap process to its first answer through the Runtime API, for a
// request that writes to DynamoDB (the run function starts a run, the sensor function ingests a reading). Three builds
// of the same code, alternating, in one run: Native AOT published with the CDK's own arguments (what the asset holds),
// self-contained trimmed ReadyToRun, and framework-dependent JIT.
//   dotnet run --project apps/IotPlayground.ColdStartBench -c Release -- [--repetitions N]
// DynamoDB: AWS_ENDPOINT_URL_DYNAMODB if set, otherwise a DynamoDB Local of its own (tests/scripts/dynamodb-local.sh).
var repetitions = args is ["--repetitions", var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 7;
var repository = Repository.Root();
using var work = new TemporaryFolder();

var builds = new List<Build>();
foreach (var kind in Builds.Kinds)
{
    foreach (var function in new[] { Builds.RunApi, Builds.SensorApi })
    {
        builds.Add(await Builds.PublishAsync(repository, work.Path, function, kind));
    }
}

await using var dynamoDb = await LocalDynamoDb.StartAsync(repository, work.Path);
await using var measurements = await Measurements.StartAsync(dynamoDb);
var runFunction = builds.First(b => b.Function == Builds.RunApi && b.Kind == Builds.Aot);

// The sensor function's readings go to one run that stays open through the bench; the run function's own runs are
// finished one by one, so neither takes the other's quota slots.
var sensorRun = RunId((await measurements.MeasureAsync(runFunction, StartRun(durationSeconds: 3600))).ResponseBody);
var reading = new Invocation(
    "POST", "/api/sensors/data", $$"""{"runId":"{{sensorRun}}","sensorId":"bench-1","temperature":21.5}""", 201);

var results = builds.ToDictionary(b => b, _ => new List<ColdStart>());
for (var i = 0; i < repetitions; i++)
{
    foreach (var build in builds.OrderBy(b => b.Function.Name, StringComparer.Ordinal))
    {
        results[build].Add(build.Function == Builds.RunApi
            ? await measurements.MeasureAsync(build, StartRun(durationSeconds: 60), body => FinishRun(RunId(body)))
            : await measurements.MeasureAsync(build, reading));
    }
}

Report.Print(results, dynamoDb.Endpoint);

// Memory settings: one Native AOT instance of each function at 128, 256 and 512 MB (CPU and memory held as Lambda holds
// them), cold-started, then sent WarmInvocations requests one after another: the run function starts and finishes
// runs, the sensor function ingests readings and queries them.
const int WarmInvocations = 199;
var sizing = new List<(Build Build, LambdaSize Size, WarmInstance Instance)>();
string? noSizing = null;
foreach (var memoryMiB in new[] { 128, 256, 512 })
{
    using var size = LambdaSize.TryCreate(memoryMiB, out noSizing);
    if (size is null)
    {
        break;
    }

    foreach (var build in builds.Where(b => b.Kind == Builds.Aot))
    {
        sizing.Add((build, size, await measurements.MeasureWarmAsync(build, size, WarmInvocations, build.Function == Builds.RunApi
            ? (i, body) => i % 2 == 0 ? StartRun(durationSeconds: 60) : FinishRun(RunId(body))
            : (i, _) => i % 2 == 0
                ? reading with { Body = reading.Body!.Replace("bench-1", $"bench-{i % 10}", StringComparison.Ordinal) }
                : new Invocation("GET", "/api/sensors/data", null, 200, new() { ["runId"] = sensorRun, ["limit"] = "25" }))));
    }
}

await measurements.MeasureAsync(runFunction, FinishRun(sensorRun));
Report.PrintSizing(sizing, noSizing);

static Invocation StartRun(int durationSeconds) =>
    new("POST", "/api/runs/start", $$"""{"duration":{{durationSeconds}},"interval":5}""", 201);

static Invocation FinishRun(string runId) => new("POST", $"/api/runs/{runId}/finish", null, 200);

static string RunId(string runJson)
{
    using var run = JsonDocument.Parse(runJson);
    return run.RootElement.GetProperty("id").GetString()!;
}
