using System.Globalization;
using System.Text.Json.Nodes;

namespace IotPlayground.Cost;

/// <summary>
/// What one resource costs a month while nothing happens, and how that figure is made. When the price table lacks a
/// price it needs (<see cref="MissingPrice"/>), the cost is null, or only the part that could be priced.
/// </summary>
public sealed record CostLine(string Stack, string LogicalId, string Type, double? MonthlyUsd, string Formula, string? MissingPrice = null);

/// <summary>
/// Prices every resource of a template idle, for a month of <see cref="HoursPerMonth"/> hours. A resource type
/// that is neither priced here nor listed free in the price table is an error: a new billable resource cannot
/// slip into the report as free.
/// </summary>
public static class IdleCosts
{
    public const double HoursPerMonth = 730;

    /// <summary>The root volume of the Amazon Linux 2023 image the NAT instance boots (the template does not say).</summary>
    public const double NatInstanceRootVolumeGiB = 8;

    /// <summary>Types priced by usage alone: idle they cost nothing, under load <see cref="UsageCosts"/> prices them.</summary>
    public static readonly IReadOnlySet<string> PricedByUsage = new HashSet<string>(StringComparer.Ordinal)
    {
        "AWS::Lambda::Function", "AWS::DynamoDB::Table", "AWS::ApiGateway::RestApi", "AWS::Logs::LogGroup",
        "AWS::EC2::FlowLog", "AWS::S3::Bucket", "AWS::CloudFront::Distribution", "AWS::ApiGatewayV2::Api",
    };

    public static IReadOnlyList<CostLine> Of(StackTemplate stack, PriceTable prices, IdleUsage idle)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(prices);
        return [.. stack.All.Select(r => PricedOrMissing(r, prices, idle)).Where(line => line is not null).Select(line => line!)];
    }

    private static CostLine? PricedOrMissing(TemplateResource resource, PriceTable prices, IdleUsage idle)
    {
        try
        {
            return Of(resource, prices, idle);
        }
        catch (MissingPriceException missing)
        {
            return new CostLine(resource.Stack.Name, resource.LogicalId, resource.Type, null, "unpriced", missing.Key);
        }
    }

    private static CostLine? Of(TemplateResource resource, PriceTable prices, IdleUsage idle)
    {
        var region = resource.Stack.Region;
        double Price(string key) => prices.Of(region, key);
        CostLine Line(double monthly, string formula) =>
            new(resource.Stack.Name, resource.LogicalId, resource.Type, monthly, formula);

        switch (resource.Type)
        {
            case "AWS::ElasticLoadBalancingV2::LoadBalancer":
            {
                var addresses = resource.Properties["Subnets"] is JsonArray subnets ? subnets.Count : 2;
                var publicAddresses = resource.Text("Scheme") == "internal" ? 0 : addresses;
                return Line(
                    HoursPerMonth * (Price("alb.hour") + publicAddresses * Price("publicIpv4.hour")),
                    $"730 h x (ALB hour + {publicAddresses} public IPv4)");
            }

            case "AWS::ECS::Service":
                return FargateService(resource, prices, Line);

            case "AWS::RDS::DBInstance":
            {
                var instanceClass = resource.Text("DBInstanceClass") ?? throw Unreadable(resource, "DBInstanceClass");
                var copies = resource.Properties["MultiAZ"] is JsonValue multiAz && (bool)multiAz ? 2 : 1;
                var storage = resource.Number("AllocatedStorage") ?? 20;
                return Line(
                    copies * (HoursPerMonth * Price($"rds.{instanceClass}.postgres.hour") + storage * Price("rds.gp3.gbMonth")),
                    $"{copies} x (730 h x {instanceClass} + {storage} GB gp3)");
            }

            case "AWS::EC2::Instance":
            {
                var type = resource.Text("InstanceType") ?? throw Unreadable(resource, "InstanceType");
                var instanceHour = $"ec2.{type}.hour";
                var addressAndVolume = HoursPerMonth * Price("publicIpv4.hour") + NatInstanceRootVolumeGiB * Price("ebs.gp3.gbMonth");

                // The instance's address and disk are priced even where its hours are not: the line stays a lower bound.
                return prices.Find(region, instanceHour) is { } hourly
                    ? Line(HoursPerMonth * hourly + addressAndVolume, $"730 h x ({type} + public IPv4) + {NatInstanceRootVolumeGiB} GB gp3")
                    : Line(addressAndVolume, $"730 h x public IPv4 + {NatInstanceRootVolumeGiB} GB gp3") with { MissingPrice = instanceHour };
            }

            case "AWS::EC2::NatGateway":
                return Line(HoursPerMonth * (Price("natGateway.hour") + Price("publicIpv4.hour")), "730 h x (NAT gateway + public IPv4)");

            case "AWS::SecretsManager::Secret":
                return Line(Price("secretsManager.secretMonth"), "1 secret");

            case "AWS::CloudWatch::Alarm":
                return Line(Price("cloudwatch.alarmMonth"), "1 standard alarm");

            case "AWS::ServiceDiscovery::PrivateDnsNamespace":
                return Line(Price("route53.hostedZoneMonth"), "its private hosted zone");

            case "AWS::ServiceDiscovery::Service":
            {
                var instances = resource.Stack.OfType("AWS::ECS::Service")
                    .Where(s => resource.IsReferencedBy(s.Properties["ServiceRegistries"]))
                    .Sum(s => s.Number("DesiredCount") ?? 1);
                return Line(instances * Price("cloudMap.registeredResourceMonth"), $"{instances} registered task(s)");
            }

            case "AWS::ECS::Cluster":
            {
                if (!ContainerInsightsEnabled(resource))
                {
                    return null;
                }

                var metrics = ContainerInsightsMetrics(resource, Price);
                return Line(metrics * Price("cloudwatch.customMetricMonth"), $"Container Insights: {metrics} custom metrics");
            }

            case "AWS::Events::Rule":
                return ScheduledInvocations(resource, prices, idle, Line);

            case var type when PricedByUsage.Contains(type):
                return null;

            case var type when type.StartsWith("Custom::", StringComparison.Ordinal) || prices.IsFree(type):
                return null;

            default:
                throw new NotSupportedException(
                    $"{resource.Stack.Name}/{resource.LogicalId}: {resource.Type} is neither priced nor listed free in the price table. " +
                    "Price it in IdleCosts or add it to the table's 'free' list with the reason.");
        }
    }

    private static CostLine FargateService(TemplateResource service, PriceTable prices, Func<double, string, CostLine> line)
    {
        var task = service.Stack.Find(service.Properties["TaskDefinition"]) ?? throw Unreadable(service, "TaskDefinition");
        var vcpu = (task.Number("Cpu") ?? throw Unreadable(task, "Cpu")) / 1024;
        var memoryGb = (task.Number("Memory") ?? throw Unreadable(task, "Memory")) / 1024;
        var architecture = task.Properties["RuntimePlatform"]?["CpuArchitecture"]?.GetValue<string>() == "ARM64" ? "arm64" : "x86";
        var spot = service.Properties["CapacityProviderStrategy"]?.ToJsonString().Contains("FARGATE_SPOT", StringComparison.Ordinal) == true;
        var count = service.Number("DesiredCount") ?? 1;
        var publicAddress = service.Properties["NetworkConfiguration"]?["AwsvpcConfiguration"]?["AssignPublicIp"]?.GetValue<string>() == "ENABLED";
        var fargate = spot ? "fargateSpot" : "fargate";
        var region = service.Stack.Region;

        var hourly = vcpu * prices.Of(region, $"{fargate}.vcpuHour.{architecture}")
            + memoryGb * prices.Of(region, $"{fargate}.gbHour.{architecture}")
            + (publicAddress ? prices.Of(region, "publicIpv4.hour") : 0);
        return line(
            count * HoursPerMonth * hourly,
            string.Create(CultureInfo.InvariantCulture,
                $"{count} task(s) x 730 h x ({vcpu} vCPU + {memoryGb} GB, {fargate} {architecture}{(publicAddress ? " + public IPv4" : "")})"));
    }

    /// <summary>A schedule that invokes a function: billed per invocation and GB-second even when nobody uses the API.</summary>
    private static CostLine? ScheduledInvocations(TemplateResource rule, PriceTable prices, IdleUsage idle, Func<double, string, CostLine> line)
    {
        var perMonth = rule.Text("ScheduleExpression") switch
        {
            "rate(1 minute)" => HoursPerMonth * 60,
            "rate(5 minutes)" => HoursPerMonth * 12,
            "rate(1 hour)" => HoursPerMonth,
            null => 0,
            var other => throw new NotSupportedException($"{rule.Stack.Name}/{rule.LogicalId}: price the schedule {other}."),
        };
        var function = rule.Stack.OfType("AWS::Lambda::Function").FirstOrDefault(f => f.IsReferencedBy(rule.Properties["Targets"]));
        if (perMonth == 0 || function is null)
        {
            return null;
        }

        var gbSeconds = perMonth * idle.SweepBilledMs / 1000 * (function.Number("MemorySize") ?? 128) / 1024;
        var region = rule.Stack.Region;
        return line(
            perMonth / 1e6 * prices.Of(region, "lambda.requestPerMillion") + gbSeconds * prices.Of(region, $"lambda.gbSecond.{LambdaArchitecture(function)}"),
            string.Create(CultureInfo.InvariantCulture, $"{perMonth:N0} invocations x {idle.SweepBilledMs} ms of {function.LogicalId}"));
    }

    public static string LambdaArchitecture(TemplateResource function) =>
        function.Properties["Architectures"]?.ToJsonString().Contains("arm64", StringComparison.Ordinal) == true ? "arm64" : "x86";

    private static bool ContainerInsightsEnabled(TemplateResource cluster) =>
        cluster.Properties["ClusterSettings"] is JsonArray settings
        && settings.Any(s => (string?)s!["Name"] == "containerInsights" && (string?)s["Value"] is "enabled" or "enhanced");

    /// <summary>
    /// Container Insights publishes a fixed set of metrics per cluster, per service and per task family, billed as
    /// custom metrics; how many per level is in the price table with its source.
    /// </summary>
    private static double ContainerInsightsMetrics(TemplateResource cluster, Func<string, double> price)
    {
        var services = cluster.Stack.OfType("AWS::ECS::Service").Count(s => cluster.IsReferencedBy(s.Properties["Cluster"]));
        return price("containerInsights.clusterMetrics")
            + services * (price("containerInsights.serviceMetrics") + price("containerInsights.taskFamilyMetrics"));
    }

    private static InvalidDataException Unreadable(TemplateResource resource, string property) =>
        new($"{resource.Stack.Name}/{resource.LogicalId}: cannot read {property} to price {resource.Type}.");
}
