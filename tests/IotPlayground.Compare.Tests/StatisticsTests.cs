using IotPlayground.Compare;

namespace IotPlayground.Compare.Tests;

public sealed class StatisticsTests
{
    private static readonly double[] OneToTen = [7, 3, 10, 1, 5, 2, 9, 4, 8, 6];

    [Theory]
    [InlineData(0, 1)]
    [InlineData(50, 5.5)]
    [InlineData(95, 9.55)]
    [InlineData(99, 9.91)]
    [InlineData(100, 10)]
    public void PercentilesInterpolateBetweenTheClosestRanksOfTheSortedValues(double percent, double expected) =>
        Assert.Equal(expected, Statistics.Percentile(OneToTen, percent), 9);

    [Fact]
    public void TheMedianOfAnOddCountIsItsMiddleValueAndOfAnEvenCountTheMeanOfTheTwoMiddleOnes()
    {
        Assert.Equal(3, Statistics.Median([5, 1, 3]));
        Assert.Equal(2.5, Statistics.Median([4, 1, 3, 2]));
    }

    [Fact]
    public void EveryPercentileOfOneValueIsThatValue()
    {
        Assert.Equal(42, Statistics.Percentile([42], 0));
        Assert.Equal(42, Statistics.Percentile([42], 99));
    }

    [Fact]
    public void NoValuesOrAPercentOutsideZeroToAHundredAreRefused()
    {
        Assert.Throws<ArgumentException>(() => Statistics.Percentile([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Percentile([1], 101));
        Assert.Throws<ArgumentOutOfRangeException>(() => Statistics.Percentile([1], -1));
    }

    [Fact]
    public void ALatencySummaryGivesTheCountThePercentilesAndTheMaximum()
    {
        var summary = LatencySummary.Of(OneToTen);

        Assert.Equal(new LatencySummary(10, 5.5, 9.55, 9.91, 10), summary with { P95 = Math.Round(summary.P95, 9), P99 = Math.Round(summary.P99, 9) });
    }

    [Fact]
    public void AcrossRepetitionsEachFigureIsTheMedianOfThatFigureSoOneNoisyRepetitionDoesNotDecide()
    {
        var repetitions = new[]
        {
            new LatencySummary(10, 5, 9, 10, 12),
            new LatencySummary(12, 6, 30, 90, 400),
            new LatencySummary(11, 4, 10, 11, 13),
        };

        Assert.Equal(new LatencySummary(11, 5, 10, 11, 13), LatencySummary.MedianOf(repetitions));
    }
}
