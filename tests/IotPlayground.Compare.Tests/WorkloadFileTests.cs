using IotPlayground.Compare;
using IotPlayground.Testing;

namespace IotPlayground.Compare.Tests;

public sealed class WorkloadFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("workloads-").FullName;

    [Fact]
    public void TheShippedProfilesAreTheSeedTheBusyAndTheBurstWorkloads()
    {
        var workloads = WorkloadFile.Load(Repository.Path("apps", "IotPlayground.Compare", "workloads.json"));

        var seed = workloads["seed"];
        Assert.Equal((1, 60, 5, 2, 1), (seed.Runs, seed.DurationSeconds, seed.IntervalSeconds, seed.Sensors, seed.ReadingsPerRequest));
        var busy = workloads["busy"];
        Assert.Equal((5, 20, 1), (busy.Runs, busy.Sensors, busy.IntervalSeconds));
        var burst = workloads["burst"];
        Assert.Equal(25, burst.ReadingsPerRequest);
        Assert.NotNull(burst.RequestsPerSecond);
        Assert.Contains("smoke", workloads.Profiles.Keys);
    }

    [Fact]
    public void AnUnknownProfileIsRefusedNamingTheKnownOnes()
    {
        var workloads = WorkloadFile.Load(Repository.Path("apps", "IotPlayground.Compare", "workloads.json"));

        var error = Assert.Throws<ArgumentException>(() => workloads["seeds"]);
        Assert.Contains("seed, busy, burst", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspelledMemberIsRefusedRatherThanIgnored()
    {
        var path = Write("""{ "profiles": { "p": { "description": "d", "runs": 1, "durationSeconds": 10, "intervalSeconds": 1, "sensors": 1, "readingsPerRequest": 1, "pollEverySeconds": 1, "end": "finish", "repetitions": 1, "sensor": 2 } } }""");

        Assert.Throws<System.Text.Json.JsonException>(() => WorkloadFile.Load(path));
    }

    [Fact]
    public void AProfileTheBackendsWouldRefuseIsRefusedBeforeItRunsWithEveryReason()
    {
        var path = Write("""{ "profiles": { "big": { "description": "d", "runs": 6, "durationSeconds": 10, "intervalSeconds": 1, "sensors": 21, "readingsPerRequest": 26, "pollEverySeconds": 1, "end": "finish", "repetitions": 1 } } }""");

        var error = Assert.Throws<InvalidDataException>(() => WorkloadFile.Load(path));
        Assert.Contains("'big'", error.Message, StringComparison.Ordinal);
        Assert.Contains("runs must be 1 to 5", error.Message, StringComparison.Ordinal);
        Assert.Contains("sensors must be 1 to 20", error.Message, StringComparison.Ordinal);
        Assert.Contains("readingsPerRequest must be 1 to 25", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AProfileNamedTwiceIsRefused()
    {
        const string Profile = """{ "description": "d", "runs": 1, "durationSeconds": 10, "intervalSeconds": 1, "sensors": 1, "readingsPerRequest": 1, "pollEverySeconds": 1, "end": "finish", "repetitions": 1 }""";
        var path = Write($$"""{ "profiles": { "p": {{Profile}}, "p": {{Profile}} } }""");

        Assert.Contains("given twice", Assert.Throws<InvalidDataException>(() => WorkloadFile.Load(path)).Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
