namespace IotPlayground.Cost;

/// <summary>What one simulation adds to an environment's bill on top of its idle cost.</summary>
public static class UsageCosts
{
    /// <summary>One ALB capacity unit covers 25 new connections a second: a request on a new connection uses 1/90,000 LCU-hour.</summary>
    public const double NewConnectionsPerLcuHour = 25 * 3600;

    /// <summary>The cost of one simulation, or null with the missing price when the table lacks one.</summary>
    public static (double? Usd, string? MissingPrice) PerSimulation(IReadOnlyList<StackTemplate> environment, PriceTable prices, SimulationUsage usage)
    {
        try
        {
            return (Priced(environment, prices, usage), null);
        }
        catch (MissingPriceException missing)
        {
            return (null, missing.Key);
        }
    }

    private static double Priced(IReadOnlyList<StackTemplate> environment, PriceTable prices, SimulationUsage usage)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(usage);
        if (environment.FirstOrDefault(s => s.Component == "Serverless") is { } serverless)
        {
            double Price(string key) => prices.Of(serverless.Region, key);
            var functions = serverless.OfType("AWS::Lambda::Function").ToList();
            var memoryGb = functions.Average(f => f.Number("MemorySize") ?? 128) / 1024;
            var architecture = IdleCosts.LambdaArchitecture(functions[0]);
            return usage.Requests / 1e6 * Price("apiGateway.rest.perMillion")
                + usage.LambdaInvocations / 1e6 * Price("lambda.requestPerMillion")
                + usage.LambdaInvocations * usage.LambdaBilledMs / 1000 * memoryGb * Price($"lambda.gbSecond.{architecture}")
                + usage.DynamoDbWriteUnits / 1e6 * Price("dynamodb.onDemand.writeRequestUnitPerMillion")
                + usage.DynamoDbReadUnits / 1e6 * Price("dynamodb.onDemand.readRequestUnitPerMillion")
                + usage.ServerlessLogBytes / 1e9 * Price("cloudwatch.logs.ingestGb");
        }

        var backend = environment.First(s => s.Component == "EcsBackend");
        return usage.Requests / NewConnectionsPerLcuHour * prices.Of(backend.Region, "alb.lcuHour")
            + usage.ContainerLogBytes / 1e9 * prices.Of(backend.Region, "cloudwatch.logs.ingestGb");
    }
}
