using System.Net;
using System.Text.Json.Nodes;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Domain;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Contract;

public abstract class PagingContract(IBackend backend) : ContractTest(backend)
{
    [Fact]
    public async Task RunsArePagedNewestFirstByCursor()
    {
        var stored = await StoreEndedRunsAsync(7);
        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Client.GetJson("/api/runs?limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(((JsonArray)page["items"]!).Select(r => (string)r!["id"]!));
            cursor = (string?)page["nextCursor"];
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(stored.OrderByDescending(r => r.StartedAt).Select(r => r.Id.ToString()), seen);
    }

    [Fact]
    public async Task ANewRunDoesNotShiftThePagesAlreadyHandedOut()
    {
        var newestFirst = (await StoreEndedRunsAsync(4)).OrderByDescending(r => r.StartedAt).Select(r => r.Id.ToString()).ToList();
        var first = await Client.GetJson("/api/runs?limit=2");
        await Client.StartedRun("alice");

        var second = await Client.GetJson($"/api/runs?limit=2&cursor={(string)first["nextCursor"]!}");

        Assert.Equal(newestFirst[..2], ((JsonArray)first["items"]!).Select(r => (string)r!["id"]!));
        Assert.Equal(newestFirst[2..], ((JsonArray)second["items"]!).Select(r => (string)r!["id"]!));
        Assert.Null((string?)second["nextCursor"]);
    }

    [Theory]
    [InlineData("/api/runs?limit=0")]
    [InlineData("/api/runs?limit=101")]
    [InlineData("/api/runs?limit=ten")]
    [InlineData("/api/runs?cursor=bm90LWEtY3Vyc29y")]
    [InlineData("/api/runs?cursor=%25%25%25")]
    public async Task ABadLimitOrCursorIsRefused(string path)
    {
        await (await Client.Get(path)).AssertProblem(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task AllAnswersTheNewestThousandAndSaysWhenItCutTheRest()
    {
        var stored = await StoreEndedRunsAsync(1_001);

        using var response = await Client.Get("/api/runs/all");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("X-Truncated")));
        var runs = await response.JsonArray();
        Assert.Equal(1_000, runs.Count);
        Assert.DoesNotContain(stored.MinBy(r => r.StartedAt)!.Id.ToString(), runs.Select(r => (string)r!["id"]!));
    }

    [Fact]
    public async Task AllSaysNothingOfTruncationWhenEverythingFits()
    {
        await StoreEndedRunsAsync(3);

        using var response = await Client.Get("/api/runs/all");

        Assert.Equal(3, (await response.JsonArray()).Count);
        Assert.False(response.Headers.Contains("X-Truncated"));
    }

    private async Task<List<Run>> StoreEndedRunsAsync(int count)
    {
        // Started recently with a long duration, so that no sweep expires them before they are ended here.
        var start = DateTimeOffset.UtcNow.AddSeconds(-count - 10);
        var runs = Enumerable.Range(0, count)
            .Select(i => Run.Start(Guid.NewGuid(), "historian", start.AddSeconds(i), new RunRequest(RunRules.MaxDuration, 5, RunParams.Default)))
            .ToList();
        await Parallel.ForEachAsync(runs, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (run, ct) =>
        {
            Assert.True(await Backend.HistoryStore.TryStartAsync(run, run.StartedAt, ct));
            Assert.True(await Backend.RunStore.TryEndAsync(run.End(RunStatus.Completed, EndReason.Finished, run.StartedAt.AddSeconds(60)), ct));
        });
        return runs;
    }
}

public sealed class ContainerPaging(ThroughPrism<ContainerBackend> backend) : PagingContract(backend), IClassFixture<ThroughPrism<ContainerBackend>>;
public sealed class ServerlessPaging(ThroughPrism<ServerlessBackend> backend) : PagingContract(backend), IClassFixture<ThroughPrism<ServerlessBackend>>;
