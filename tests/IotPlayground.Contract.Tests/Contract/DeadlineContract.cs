using System.Net;
using IotPlayground.Contract.Tests.Backends;
using IotPlayground.Domain;
using IotPlayground.Testing;

namespace IotPlayground.Contract.Tests.Contract;

/// <summary>A run whose client went away stops holding its slot once its deadline passes.</summary>
public abstract class DeadlineContract(IBackend backend) : ContractTest(backend)
{
    private const int Duration = 60;
    private const int Interval = 5;

    [Fact]
    public async Task RunsPastTheirDeadlineFreeTheirSlotsAndReadBackExpired()
    {
        var abandoned = new List<Run>();
        for (var i = 0; i < RunRules.MaxRunning; i++)
        {
            abandoned.Add(await StoreAbandonedRunAsync(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(i)));
        }

        var quota = await Client.GetJson("/api/runs/can-start");
        Assert.True((bool)quota["canStart"]!);
        Assert.Equal(0, (int)quota["currentRunning"]!);

        await Client.StartedRun("alice");

        foreach (var run in abandoned)
        {
            var stored = await Client.GetJson($"/api/runs/{run.Id}");
            Assert.Equal("COMPLETED", (string?)stored["status"]);
            Assert.Equal("expired", (string?)stored["endReason"]);
            Assert.Equal(run.Deadline, DateTimeOffset.Parse((string)stored["finishedAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task AnAbandonedRunIsNotListedAsRunningNorTakesReadingsNorFinishes()
    {
        var run = await StoreAbandonedRunAsync(TimeSpan.FromMinutes(10));

        Assert.Empty(await (await Client.Get("/api/runs/running")).JsonArray());
        await (await Client.PostReading("ghost", run.Id.ToString())).AssertProblem(HttpStatusCode.Conflict, "run_not_running");
        await (await Client.Post($"/api/runs/{run.Id}/finish", "ghost")).AssertProblem(HttpStatusCode.Conflict, "run_not_running");
    }

    [Fact]
    public async Task ARunWithinItsGraceStillHoldsItsSlot()
    {
        // Past its duration but within the grace of max(2 x interval, 10 s): the client may only be late.
        await StoreAbandonedRunAsync(TimeSpan.FromSeconds(Duration + 5));

        Assert.Equal(1, await Client.RunningCount());
    }

    private async Task<Run> StoreAbandonedRunAsync(TimeSpan startedAgo)
    {
        var startedAt = DateTimeOffset.UtcNow - startedAgo;
        var run = Run.Start(Guid.NewGuid(), "ghost", startedAt, new RunRequest(Duration, Interval, RunParams.Default));
        Assert.True(await Backend.RunStore.TryStartAsync(run, startedAt, CancellationToken.None));
        return run;
    }
}

public sealed class ContainerDeadline(ThroughPrism<ContainerBackend> backend) : DeadlineContract(backend), IClassFixture<ThroughPrism<ContainerBackend>>;
public sealed class ServerlessDeadline(ThroughPrism<ServerlessBackend> backend) : DeadlineContract(backend), IClassFixture<ThroughPrism<ServerlessBackend>>;
