using IotPlayground.Compare;
using IotPlayground.Lambda.Functions;
using IotPlayground.LambdaEmulator;

namespace IotPlayground.Compare.Tests;

public sealed class UsageFiguresTests
{
    /// <summary>A 90 s profile: a minute and a half of simulated time.</summary>
    private static readonly WorkloadProfile NinetySeconds = new()
    {
        Description = "test",
        Runs = 1,
        DurationSeconds = 90,
        IntervalSeconds = 5,
        Sensors = 1,
        ReadingsPerRequest = 1,
        PollEverySeconds = 2,
        End = RunEnd.Finish,
        Repetitions = 3,
    };

    [Fact]
    public void EachCounterIsTheMedianOfTheRepetitionsTotalsAndThatTotalPerSimulatedMinute()
    {
        var figures = UsageFigures.Of(NinetySeconds,
        [
            Repetition(requests: 30, readings: 18, new() { [UsageCounters.PostgresRowsWritten] = 20, [UsageCounters.PostgresWalBytes] = 9_000 }),
            Repetition(requests: 33, readings: 18, new() { [UsageCounters.PostgresRowsWritten] = 26, [UsageCounters.PostgresWalBytes] = 6_000 }),
            Repetition(requests: 36, readings: 15, new() { [UsageCounters.PostgresRowsWritten] = 23, [UsageCounters.PostgresWalBytes] = 7_500 }),
        ]);

        Assert.Equal(
            [UsageCounters.Requests, UsageCounters.ReadingsAcknowledged, UsageCounters.PostgresRowsWritten, UsageCounters.PostgresWalBytes],
            figures.Counters.Keys);
        Assert.Equal(new UsageCounter(33, 22), figures.Counters[UsageCounters.Requests]);
        Assert.Equal(new UsageCounter(18, 12), figures.Counters[UsageCounters.ReadingsAcknowledged]);
        Assert.Equal(new UsageCounter(23, 23 / 1.5), figures.Counters[UsageCounters.PostgresRowsWritten]);
        Assert.Equal(new UsageCounter(7_500, 5_000), figures.Counters[UsageCounters.PostgresWalBytes]);
        Assert.Null(figures.LambdaBilledMsPerInvocation);
        Assert.Empty(figures.NotMeasured);
    }

    [Fact]
    public void BilledDurationPerInvocationIsTheMedianOfEachRepetitionsRatio()
    {
        var figures = UsageFigures.Of(NinetySeconds,
        [
            Repetition(10, 0, new() { [UsageCounters.LambdaInvocations] = 10, [UsageCounters.LambdaBilledMs] = 40 }),
            Repetition(10, 0, new() { [UsageCounters.LambdaInvocations] = 20, [UsageCounters.LambdaBilledMs] = 50 }),
            Repetition(10, 0, new() { [UsageCounters.LambdaInvocations] = 5, [UsageCounters.LambdaBilledMs] = 100 }),
        ]);

        Assert.Equal(4, figures.LambdaBilledMsPerInvocation);
        Assert.Equal(new UsageCounter(50, 50 / 1.5), figures.Counters[UsageCounters.LambdaBilledMs]);
    }

    [Fact]
    public void ACounterARepetitionCouldNotReadIsLeftOutAndTheReasonKept()
    {
        var figures = UsageFigures.Of(NinetySeconds,
        [
            Repetition(10, 5, new() { [UsageCounters.PostgresRowsWritten] = 5 }),
            new RepetitionResult(Samples(10), 95, 1, 5) { Usage = MeasuredUsage.Unmeasured("PostgreSQL: the database did not answer") },
        ]);

        Assert.False(figures.Counters.ContainsKey(UsageCounters.PostgresRowsWritten));
        Assert.Equal(new UsageCounter(10, 10 / 1.5), figures.Counters[UsageCounters.Requests]);
        Assert.Equal(["PostgreSQL: the database did not answer"], figures.NotMeasured);
    }

    [Fact]
    public void ARepetitionsUsageIsHowMuchEachCounterGrewOverIt()
    {
        var usage = MeasuredUsage.Between(
            new Dictionary<string, double> { ["a"] = 10, ["b"] = 2.5 },
            new Dictionary<string, double> { ["a"] = 25, ["b"] = 4, ["c"] = 3 });

        Assert.Equal(new Dictionary<string, double> { ["a"] = 15, ["b"] = 1.5, ["c"] = 3 }, usage.Counters);
    }

    [Fact]
    public void TheLocalHostsFunctionsAreSummedAndTheirCapacityTakenFromTheirEmfMetrics()
    {
        var counters = LambdaHostUsage.Sum(
        [
            new FunctionUsageSnapshot(4, 10.5, 130, 1, 118.2, new Dictionary<string, double>
            {
                [EmfMetrics.DynamoDbReadCapacityUnits] = 2.5,
                [EmfMetrics.DynamoDbWriteCapacityUnits] = 8,
                [EmfMetrics.RunStarted] = 2,
            }),
            new FunctionUsageSnapshot(6, 7, 9, 0, 0, new Dictionary<string, double> { [EmfMetrics.DynamoDbWriteCapacityUnits] = 12 }),
        ]);

        Assert.Equal(10, counters[UsageCounters.LambdaInvocations]);
        Assert.Equal(139, counters[UsageCounters.LambdaBilledMs]);
        Assert.Equal(17.5, counters[UsageCounters.LambdaDurationMs]);
        Assert.Equal(1, counters[UsageCounters.LambdaColdStarts]);
        Assert.Equal(118.2, counters[UsageCounters.LambdaInitMs]);
        Assert.Equal(2.5, counters[UsageCounters.DynamoDbReadCapacityUnits]);
        Assert.Equal(20, counters[UsageCounters.DynamoDbWriteCapacityUnits]);
    }

    private static RepetitionResult Repetition(int requests, int readings, Dictionary<string, double> counters) =>
        new(Samples(requests), 95, 1, readings) { Usage = new MeasuredUsage(counters, []) };

    private static List<RequestSample> Samples(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new RequestSample("GET /api/runs", i, 5, 200, null, false))];
}
