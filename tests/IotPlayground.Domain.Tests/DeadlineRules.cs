using IotPlayground.Domain;

namespace IotPlayground.Domain.Tests;

public sealed class DeadlineRules
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, 10)]
    [InlineData(5, 10)]
    [InlineData(6, 12)]
    [InlineData(60, 120)]
    public void GraceIsTwiceTheIntervalAndAtLeastTenSeconds(int interval, int graceSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(graceSeconds), RunRules.GraceFor(interval));
    }

    [Fact]
    public void ARunIsOverdueOnlyAfterDurationPlusGrace()
    {
        var run = Run.Start(Guid.NewGuid(), "alice", Start, new RunRequest(60, 5, RunParams.Default));

        Assert.Equal(Start.AddSeconds(70), run.Deadline);
        Assert.False(run.IsOverdueAt(Start.AddSeconds(70)));
        Assert.True(run.IsOverdueAt(Start.AddSeconds(70.001)));
    }

    [Fact]
    public void AnEndedRunIsNeverOverdue()
    {
        var run = Run.Start(Guid.NewGuid(), "alice", Start, new RunRequest(60, 5, RunParams.Default))
            .End(RunStatus.Completed, EndReason.Finished, Start.AddSeconds(30));

        Assert.False(run.IsOverdueAt(Start.AddDays(1)));
    }

    [Fact]
    public void AnExpiredRunEndsAtItsDeadlineAsCompleted()
    {
        var run = Run.Start(Guid.NewGuid(), "alice", Start, new RunRequest(60, 5, RunParams.Default));

        var expired = run.Expire();

        Assert.Equal(RunStatus.Completed, expired.Status);
        Assert.Equal(EndReason.Expired, expired.EndReason);
        Assert.Equal(run.Deadline, expired.FinishedAt);
    }

    [Fact]
    public void ExpectedReadingsAreOnePerSensorPerInterval()
    {
        var run = Run.Start(Guid.NewGuid(), "alice", Start, new RunRequest(60, 7, new RunParams(3, [Measure.Temperature])));

        Assert.Equal(3 * 8, run.ExpectedReadings);
    }

    [Fact]
    public void StartTimesAreKeptToTheMillisecond()
    {
        var run = Run.Start(Guid.NewGuid(), "alice", Start.AddTicks(12_345), new RunRequest(60, 5, RunParams.Default));

        Assert.Equal(Start.AddMilliseconds(1), run.StartedAt);
    }
}
