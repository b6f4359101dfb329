namespace IotPlayground.Cost;

/// <summary>A month's cost as a line: what the environment costs idle, plus what each simulation a day adds.</summary>
public sealed record CostCurve(string Name, double IdleMonthly, double PerSimulation)
{
    public const double DaysPerMonth = IdleCosts.HoursPerMonth / 24;

    public double MonthlyAt(double simulationsPerDay) => IdleMonthly + simulationsPerDay * DaysPerMonth * PerSimulation;
}

public static class Crossover
{
    /// <summary>
    /// The simulations a day at which <paramref name="a"/> and <paramref name="b"/> cost the same, or null when they
    /// never do at a non-negative load (parallel lines, or the cheaper one idle is also the cheaper one per simulation).
    /// </summary>
    public static double? SimulationsPerDay(CostCurve a, CostCurve b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var slope = (a.PerSimulation - b.PerSimulation) * CostCurve.DaysPerMonth;
        if (slope == 0)
        {
            return a.IdleMonthly == b.IdleMonthly ? 0 : null;
        }

        var load = (b.IdleMonthly - a.IdleMonthly) / slope;
        return load >= 0 ? load : null;
    }
}
