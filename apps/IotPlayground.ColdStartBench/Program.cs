using System.Globalization;
using IotPlayground.ColdStartBench;

// Cold start of the run function: from starting its bootstrap process to its first answer through the Runtime API,
// for a start request that writes to DynamoDB. The published build (self-contained, trimmed, ReadyToRun: what the
// CDK deploys) against a plain framework-dependent JIT build of the same code, alternating, in one run.
//   dotnet run --project apps/IotPlayground.ColdStartBench -c Release -- [--repetitions N]
// DynamoDB: AWS_ENDPOINT_URL_DYNAMODB if set, otherwise a DynamoDB Local of its own (tests/scripts/dynamodb-local.sh).
var repetitions = args is ["--repetitions", var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 7;
var repository = Repository.Root();
using var work = new TemporaryFolder();

var builds = new[]
{
    await Builds.PublishAsync(repository, work.Path, "published", "self-contained, trimmed, ReadyToRun",
        ["-r", "linux-x64", "--self-contained"]),
    await Builds.PublishAsync(repository, work.Path, "jit", "framework-dependent, JIT",
        ["--no-self-contained", "-p:PublishTrimmed=false", "-p:PublishReadyToRun=false"]),
};

await using var dynamoDb = await LocalDynamoDb.StartAsync(repository, work.Path);
await using var runtimeApi = await OneShotRuntimeApi.StartAsync();
var results = builds.ToDictionary(b => b, _ => new List<TimeSpan>());
for (var i = 0; i < repetitions; i++)
{
    foreach (var build in builds)
    {
        results[build].Add(await runtimeApi.MeasureColdStartAsync(build, dynamoDb));
    }
}

Report.Print(results, dynamoDb.Endpoint);
