using IotPlayground.Cost;

namespace IotPlayground.Cost.Tests;

public sealed class CrossoverTests
{
    [Fact]
    public void TheLinesMeetWhereTheIdleGapIsPaidOffBySimulations()
    {
        var containers = new CostCurve("dev", IdleMonthly: 50, PerSimulation: 0);
        var serverless = new CostCurve("serverless-dev", IdleMonthly: 2, PerSimulation: 0.01);

        var load = Crossover.SimulationsPerDay(containers, serverless);

        // 48 $ a month apart, 0.01 $ a simulation: 4,800 simulations a month.
        Assert.Equal(4800 / CostCurve.DaysPerMonth, load!.Value, precision: 9);
        Assert.Equal(containers.MonthlyAt(load.Value), serverless.MonthlyAt(load.Value), precision: 9);
    }

    [Fact]
    public void TheOrderOfTheTwoCurvesDoesNotMatter()
    {
        var a = new CostCurve("a", 30, 0.002);
        var b = new CostCurve("b", 5, 0.02);

        Assert.Equal(Crossover.SimulationsPerDay(a, b)!.Value, Crossover.SimulationsPerDay(b, a)!.Value, precision: 9);
    }

    [Fact]
    public void ParallelLinesNeverMeet() =>
        Assert.Null(Crossover.SimulationsPerDay(new CostCurve("a", 30, 0.01), new CostCurve("b", 5, 0.01)));

    [Fact]
    public void ACurveCheaperIdleAndPerSimulationIsNeverCaughtUp() =>
        Assert.Null(Crossover.SimulationsPerDay(new CostCurve("a", 30, 0.02), new CostCurve("b", 5, 0.01)));

    [Fact]
    public void AMonthAtALoadIsIdlePlusEverySimulationOfTheMonth() =>
        Assert.Equal(10 + (100 * CostCurve.DaysPerMonth * 0.5), new CostCurve("a", 10, 0.5).MonthlyAt(100), precision: 9);

    [Fact]
    public void AnEcsIdleCostMissingAPriceMakesTheCrossoverALowerBound()
    {
        // The containers' true idle cost is higher than the priced one: the serverless line needs more simulations to reach it.
        var containers = new CostCurve("dev", IdleMonthly: 50, PerSimulation: 0, IdleIsLowerBound: true);
        var serverless = new CostCurve("serverless-dev", IdleMonthly: 2, PerSimulation: 0.01);

        Assert.Equal(CrossoverBound.AtLeast, Crossover.Bound(containers, serverless));
        Assert.Equal(CrossoverBound.AtLeast, Crossover.Bound(serverless, containers));
    }

    [Fact]
    public void AServerlessIdleCostMissingAPriceMakesTheCrossoverAnUpperBound()
    {
        var containers = new CostCurve("dev", IdleMonthly: 50, PerSimulation: 0);
        var serverless = new CostCurve("serverless-dev", IdleMonthly: 2, PerSimulation: 0.01, IdleIsLowerBound: true);

        Assert.Equal(CrossoverBound.AtMost, Crossover.Bound(containers, serverless));
        Assert.Equal(CrossoverBound.AtMost, Crossover.Bound(serverless, containers));
    }

    [Fact]
    public void CompleteIdleCostsGiveAnExactCrossover() =>
        Assert.Equal(CrossoverBound.Exact, Crossover.Bound(new CostCurve("a", 50, 0), new CostCurve("b", 2, 0.01)));

    [Fact]
    public void NothingIsClaimedWhenBothIdleCostsMissAPrice() =>
        Assert.Null(Crossover.Bound(new CostCurve("a", 50, 0, IdleIsLowerBound: true), new CostCurve("b", 2, 0.01, IdleIsLowerBound: true)));

    [Fact]
    public void NothingIsClaimedWhenLinesThatNeverMeetAtThePricedCostsMissAPrice() =>
        Assert.Null(Crossover.Bound(new CostCurve("a", 30, 0.02, IdleIsLowerBound: true), new CostCurve("b", 5, 0.01)));
}
