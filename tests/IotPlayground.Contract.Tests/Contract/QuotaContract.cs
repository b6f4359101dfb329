using System.Net;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Contract;

public abstract class QuotaContract(IBackend backend) : ContractTest(backend)
{
    [Fact]
    public async Task StartRefusesTheSixthRunWhateverTheUser()
    {
        for (var i = 0; i < 5; i++)
        {
            await Client.StartedRun($"user{i}");
        }

        var problem = await (await Client.StartRun("latecomer")).AssertProblem(HttpStatusCode.BadRequest, "quota_exceeded");

        Assert.Contains("5", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.False((bool)(await Client.GetJson("/api/runs/can-start"))["canStart"]!);
        Assert.Equal(5, await Client.StoredRunCount());
    }

    [Fact]
    public async Task FinishingARunFreesItsSlot()
    {
        var runs = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            runs.Add((await Client.StartedRun("alice")).Id());
        }

        (await Client.Post($"/api/runs/{runs[2]}/finish", "alice")).EnsureSuccessStatusCode();

        await Client.StartedRun("bob");
        await (await Client.StartRun("bob")).AssertProblem(HttpStatusCode.BadRequest, "quota_exceeded");
    }

    [Fact]
    public async Task TwoHundredConcurrentStartsLeaveExactlyFiveRunning()
    {
        const int rounds = 3;
        const int starts = 200;
        for (var round = 0; round < rounds; round++)
        {
            using var gate = new SemaphoreSlim(0);
            var requests = Enumerable.Range(0, starts).Select(async i =>
            {
                await gate.WaitAsync();
                using var response = await Client.StartRun($"racer{i}");
                return await response.Outcome();
            }).ToList();
            gate.Release(starts);
            var answers = await Task.WhenAll(requests);

            // Every answer that is neither a start nor a quota refusal is named, with its problem code, when this fails.
            Assert.Equal(
                new Dictionary<string, int> { ["201"] = 5, ["400 quota_exceeded"] = starts - 5 },
                answers.CountBy(answer => answer).ToDictionary());
            Assert.Equal(5, await Client.RunningCount());
            Assert.Equal(5, (await (await Client.Get("/api/runs/running")).JsonArray()).Count);

            (await Client.Post("/api/runs/interrupt-all", "referee")).EnsureSuccessStatusCode();
            Assert.Equal(0, await Client.RunningCount());
        }
    }
}

public sealed class ContainerQuota(ThroughPrism<ContainerBackend> backend) : QuotaContract(backend), IClassFixture<ThroughPrism<ContainerBackend>>;
public sealed class ServerlessQuota(ThroughPrism<ServerlessBackend> backend) : QuotaContract(backend), IClassFixture<ThroughPrism<ServerlessBackend>>;
