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
        PerSimulation ?? 0,
        Stacks.Where(s => withGrafana || s.Component != "Grafana").Any(s => s.MissingPrices.Count > 0));
}

/// <param name="Computed">
/// False when a per-simulation price is missing, or both idle costs lack a price: no crossover is claimed then.
/// </param>
/// <param name="Bound">Whether the load is exact or a bound, when one idle cost lacks a price.</param>
public sealed record CrossoverResult(
    string Between,
    string And,
    bool Computed,
    double? SimulationsPerDay,
    CrossoverBound Bound = CrossoverBound.Exact);

/// <summary>
/// Every environment priced idle and per simulation, the shared stacks, where the architectures cost the same, and the
/// table's prices of the regions priced (each with its source).
/// </summary>
public sealed record CostReport(
    DateOnly PricesReadOn,
    string Currency,
    UsageProfile Profile,
    IReadOnlyList<EnvironmentCost> Environments,
    IReadOnlyList<StackCost> Shared,
    IReadOnlyList<CrossoverResult> Crossovers,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, PriceEntry>> Prices)
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
                    var bound = ecs.PerSimulation is not null && serverless.PerSimulation is not null ? Crossover.Bound(a, b) : null;
                    crossovers.Add(bound is { } known
                        ? new CrossoverResult(a.Name, b.Name, true, Crossover.SimulationsPerDay(a, b), known)
                        : new CrossoverResult(a.Name, b.Name, false, null));
                }
            }
        }

        return new CostReport(
            prices.ReadOn,
            prices.Currency,
            profile,
            environments,
            [.. stacks.Where(s => s.Environment == StackTemplate.Shared).Select(Price)],
            crossovers,
            prices.Regions.Where(r => stacks.Any(s => s.Region == r.Key)).ToDictionary(r => r.Key, r => r.Value, StringComparer.Ordinal));
    }
}
