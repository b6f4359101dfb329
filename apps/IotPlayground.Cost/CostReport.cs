namespace IotPlayground.Cost;

public sealed record StackCost(string Stack, string Component, IReadOnlyList<CostLine> Lines)
{
    /// <summary>The priced lines' sum: a lower bound while <see cref="MissingPrices"/> is not empty.</summary>
    public double IdleMonthly => Lines.Sum(l => l.MonthlyUsd ?? 0);

    public IReadOnlyList<string> MissingPrices => [.. Lines.Where(l => l.MissingPrice is not null).Select(l => l.MissingPrice!).Distinct()];
}

public sealed record EnvironmentCost(
    string Environment,
    string Architecture,
    string Region,
    IReadOnlyList<StackCost> Stacks,
    double? PerSimulation,
    string? PerSimulationMissingPrice)
{
    public double IdleMonthly => Stacks.Sum(s => s.IdleMonthly);

    public double IdleMonthlyWithoutGrafana => Stacks.Where(s => s.Component != "Grafana").Sum(s => s.IdleMonthly);

    public IReadOnlyList<string> MissingPrices =>
        [.. Stacks.SelectMany(s => s.MissingPrices).Append(PerSimulationMissingPrice).OfType<string>().Distinct().Order(StringComparer.Ordinal)];

    /// <summary>Whether every resource and the per-simulation cost are priced: otherwise the figures are lower bounds.</summary>
    public bool Complete => MissingPrices.Count == 0;

    public CostCurve Curve(bool withGrafana) => new(
        $"{Environment}{(withGrafana ? "" : " without Grafana")}",
        withGrafana ? IdleMonthly : IdleMonthlyWithoutGrafana,
        PerSimulation ?? 0);
}

/// <param name="Computed">False when a price either side needs is missing: no crossover is claimed then.</param>
public sealed record CrossoverResult(string Between, string And, bool Computed, double? SimulationsPerDay);

/// <summary>Every environment priced idle and per simulation, the shared stacks, and where the architectures cost the same.</summary>
public sealed record CostReport(
    DateOnly PricesReadOn,
    string Currency,
    UsageProfile Profile,
    IReadOnlyList<EnvironmentCost> Environments,
    IReadOnlyList<StackCost> Shared,
    IReadOnlyList<CrossoverResult> Crossovers)
{
    public static CostReport Build(IReadOnlyList<StackTemplate> stacks, PriceTable prices, UsageProfile profile)
    {
        ArgumentNullException.ThrowIfNull(stacks);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(profile);

        StackCost Price(StackTemplate stack)
        {
            var lines = IdleCosts.Of(stack, prices, profile.Idle);
            return new StackCost(stack.Name, stack.Component, lines);
        }

        var environments = stacks
            .Where(s => s.Environment != StackTemplate.Shared)
            .GroupBy(s => s.Environment)
            .Select(g =>
            {
                var (perSimulation, missing) = UsageCosts.PerSimulation([.. g], prices, profile.PerSimulation);
                return new EnvironmentCost(
                    g.Key,
                    g.Any(s => s.Component == "Serverless") ? "serverless" : "ecs",
                    g.First().Region,
                    [.. g.Select(Price)],
                    perSimulation,
                    missing);
            })
            .OrderBy(e => e.Architecture, StringComparer.Ordinal)
            .ToList();

        var crossovers = new List<CrossoverResult>();
        foreach (var ecs in environments.Where(e => e.Architecture == "ecs"))
        {
            foreach (var serverless in environments.Where(e => e.Architecture == "serverless"))
            {
                foreach (var withGrafana in new[] { true, false })
                {
                    var a = ecs.Curve(withGrafana);
                    var b = serverless.Curve(withGrafana);
                    var computed = ecs.Complete && serverless.Complete;
                    crossovers.Add(new CrossoverResult(a.Name, b.Name, computed, computed ? Crossover.SimulationsPerDay(a, b) : null));
                }
            }
        }

        return new CostReport(
            prices.ReadOn,
            prices.Currency,
            profile,
            environments,
            [.. stacks.Where(s => s.Environment == StackTemplate.Shared).Select(Price)],
            crossovers);
    }
}
