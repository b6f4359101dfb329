namespace IotPlayground.Cost;

/// <summary>A month's cost as a line: what the environment costs idle, plus what each simulation a day adds.</summary>
/// <param name="IdleIsLowerBound">
/// The idle cost leaves out resources the price table has no price for: the true line runs parallel to this one,
/// higher by an unknown amount.
/// </param>
public sealed record CostCurve(string Name, double IdleMonthly, double PerSimulation, bool IdleIsLowerBound = false)
{
    public const double DaysPerMonth = IdleCosts.HoursPerMonth / 24;

    public double MonthlyAt(double simulationsPerDay) => IdleMonthly + simulationsPerDay * DaysPerMonth * PerSimulation;
}

/// <summary>How far a crossover computed from a lower-bound idle cost can be trusted.</summary>
public enum CrossoverBound
{
    /// <summary>Both idle costs are complete: the load is exact.</summary>
    Exact,

    /// <summary>The true load is this one or higher.</summary>
    AtLeast,

    /// <summary>The true load is this one or lower.</summary>
    AtMost,
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

    /// <summary>
    /// Which way the true crossover lies from <see cref="SimulationsPerDay"/> when an idle cost is a lower bound, or
    /// null when nothing can be said: both idle costs are lower bounds, the lines are parallel, or they never meet at
    /// the priced costs (a missing price could still make them meet).
    /// </summary>
    /// <remarks>
    /// Raising a's idle cost moves the crossing by -1/slope per dollar, raising b's by +1/slope, where the slope is
    /// a's cost per simulation a day minus b's: the sign of that says whether the unknown part pushes the load up or down.
    /// </remarks>
    public static CrossoverBound? Bound(CostCurve a, CostCurve b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!a.IdleIsLowerBound && !b.IdleIsLowerBound)
        {
            return CrossoverBound.Exact;
        }

        if (a.IdleIsLowerBound && b.IdleIsLowerBound || a.PerSimulation == b.PerSimulation || SimulationsPerDay(a, b) is null)
        {
            return null;
        }

        var aCostsLessPerSimulation = a.PerSimulation < b.PerSimulation;
        return a.IdleIsLowerBound == aCostsLessPerSimulation ? CrossoverBound.AtLeast : CrossoverBound.AtMost;
    }
}
