using System.Text.Json.Nodes;
using IotPlayground.Cdk.Config;

namespace IotPlayground.Cost.Tests;

[Collection(CdkSynthesis.Name)]
public sealed class IdleCostTests(SynthesizedTemplates app)
{
    private static readonly PriceTable Frozen = PriceTable.Load(Path.Combine(AppContext.BaseDirectory, "frozen-prices.json"));
    private static readonly IdleUsage Idle = new(SweepBilledMs: 10);

    [Fact]
    public void EveryResourceOfEveryTemplateIsPricedOrListedFreeWithAReason()
    {
        var table = PriceTable.Load(Path.Combine(AppContext.BaseDirectory, "prices", "aws-prices.json"));

        var refused = new List<string>();
        foreach (var stack in app.Stacks)
        {
            try
            {
                _ = IdleCosts.Of(stack, table, Idle);
            }
            catch (NotSupportedException unpriced)
            {
                refused.Add(unpriced.Message);
            }
        }

        Assert.True(refused.Count == 0, string.Join(Environment.NewLine, refused));
        Assert.All(table.Free, f => Assert.True(f.Value.Length >= 20, $"{f.Key}: say why it costs nothing"));
    }

    [Fact]
    public void AResourceTypeThatNobodyPricedIsRefusedNotCountedFree()
    {
        var stack = new StackTemplate("dev-Experiment", "eu-west-1", new JsonObject
        {
            ["Queue"] = new JsonObject { ["Type"] = "AWS::SQS::Queue", ["Properties"] = new JsonObject() },
        });

        var refusal = Assert.Throws<NotSupportedException>(() => IdleCosts.Of(stack, Frozen, Idle));
        Assert.Contains("AWS::SQS::Queue", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AResourceWhosePriceIsMissingIsReportedUnpricedNeverFree()
    {
        var stack = app.Stack("dev-EcsBackend");
        var table = Frozen with { Regions = new Dictionary<string, IReadOnlyDictionary<string, PriceEntry>>() };

        var lines = IdleCosts.Of(stack, table, Idle);

        var loadBalancer = Assert.Single(lines, l => l.Type == "AWS::ElasticLoadBalancingV2::LoadBalancer");
        Assert.Null(loadBalancer.MonthlyUsd);
        Assert.Equal("alb.hour", loadBalancer.MissingPrice);
    }

    [Fact]
    public void ANatInstanceWithoutAnHourlyPriceIsPricedForItsAddressAndDiskAndStaysMarkedUnpriced()
    {
        var stack = app.Stack("dev-Network");
        var withoutInstanceHours = Frozen.Regions[stack.Region].Where(p => p.Key != "ec2.t4g.nano.hour").ToDictionary();
        var table = Frozen with { Regions = new Dictionary<string, IReadOnlyDictionary<string, PriceEntry>> { [stack.Region] = withoutInstanceHours } };

        var nat = Assert.Single(IdleCosts.Of(stack, table, Idle), l => l.Type == "AWS::EC2::Instance");

        // Frozen prices: public IPv4 0.005/h, EBS gp3 0.08/GB, 8 GB root volume.
        Assert.Equal("ec2.t4g.nano.hour", nat.MissingPrice);
        Assert.Equal((730 * 0.005) + (8 * 0.08), nat.MonthlyUsd!.Value, precision: 9);
    }

    [Fact]
    public void TheEcsEnvironmentIdleMatchesTheHandCalculation()
    {
        var report = CostReport.Build(app.Stacks, Frozen, SeedProfile());
        var dev = report.Environments.Single(e => e.Environment == "dev");

        // Frozen prices: ALB 0.0225/h, public IPv4 0.005/h, db.t4g.micro 0.016/h, gp3 0.115/GB (RDS) and 0.08/GB (EBS),
        // Fargate x86 0.04048/vCPU-h and 0.004445/GB-h, t4g.nano 0.0042/h, hosted zone 0.50, secret 0.40, Cloud Map
        // 0.10 a registered task. Container Insights is off on the cluster, so no custom metrics.
        var loadBalancer = 730 * (0.0225 + (2 * 0.005));
        var database = (730 * 0.016) + (20 * 0.115);
        var apiAndPrometheus = 2 * 730 * ((0.25 * 0.04048) + (0.5 * 0.004445));
        var backend = loadBalancer + database + apiAndPrometheus + 0.50 + (3 * 0.40) + (2 * 0.10);
        var natInstance = (730 * (0.0042 + 0.005)) + (8 * 0.08);

        Assert.Equal(backend + natInstance, dev.IdleMonthlyWithoutGrafana, precision: 6);
        Assert.True(dev.Complete, string.Join(", ", dev.MissingPrices));
    }

    [Fact]
    public void TheServerlessEnvironmentIdleMatchesTheHandCalculation()
    {
        var report = CostReport.Build(app.Stacks, Frozen, SeedProfile());
        var serverless = report.Environments.Single(e => e.Environment == "serverless-dev");
        var config = PlaygroundConfigReader.FromCdkJson(Path.Combine(app.RepositoryRoot, "cdk.json")).Environment("serverless-dev");

        // Five alarms at 0.10, and the sweep: one invocation a minute for 730 hours, 10 ms each at the function's memory.
        var invocations = 730 * 60.0;
        var gbSecondPrice = config.Serverless!.LambdaArchitecture == "arm64" ? 1.33334e-05 : 1.66667e-05;
        var sweep = (invocations / 1e6 * 0.2) + (invocations * 0.010 * config.Serverless.LambdaMemoryMiB / 1024 * gbSecondPrice);

        Assert.Equal((5 * 0.10) + sweep, serverless.IdleMonthlyWithoutGrafana, precision: 6);
    }

    [Fact]
    public void ContainerInsightsIsPricedAsCustomMetricsOfTheClusterAndOfEachServiceAndTaskFamily()
    {
        var stack = new StackTemplate("dev-Watched", "eu-west-1", JsonNode.Parse("""
            {
              "Cluster": { "Type": "AWS::ECS::Cluster", "Properties": { "ClusterSettings": [ { "Name": "containerInsights", "Value": "enabled" } ] } },
              "Task": { "Type": "AWS::ECS::TaskDefinition", "Properties": { "Cpu": "256", "Memory": "512" } },
              "Service": { "Type": "AWS::ECS::Service", "Properties": { "Cluster": { "Ref": "Cluster" }, "TaskDefinition": { "Ref": "Task" }, "DesiredCount": 1 } }
            }
            """)!.AsObject());

        var cluster = Assert.Single(IdleCosts.Of(stack, Frozen, Idle), l => l.Type == "AWS::ECS::Cluster");

        // Frozen counts: 8 metrics for the cluster, 6 for the service and 4 for its task family, at 0.30 a metric-month.
        Assert.Equal((8 + 6 + 4) * 0.30, cluster.MonthlyUsd!.Value, precision: 9);
    }

    [Fact]
    public void AClusterWithoutContainerInsightsCostsNothingByItself()
    {
        var stack = new StackTemplate("dev-Quiet", "eu-west-1", JsonNode.Parse("""
            { "Cluster": { "Type": "AWS::ECS::Cluster", "Properties": { "ClusterSettings": [ { "Name": "containerInsights", "Value": "disabled" } ] } } }
            """)!.AsObject());

        Assert.Empty(IdleCosts.Of(stack, Frozen, Idle));
    }

    [Fact]
    public void EveryPriceOfTheTableNamesItsSourceAndTheDateItWasReadAndWhoseFigureItIs()
    {
        var table = PriceTable.Load(Path.Combine(AppContext.BaseDirectory, "prices", "aws-prices.json"));

        Assert.All(table.Regions.SelectMany(r => r.Value.Select(p => (Key: $"{r.Key} {p.Key}", Entry: p.Value))), price =>
        {
            Assert.False(string.IsNullOrWhiteSpace(price.Entry.Source), $"{price.Key}: name the source");
            Assert.True(price.Entry.Date is { } date && date <= table.ReadOn, $"{price.Key}: give the date it was read or stated, not after the table's");
            Assert.True(price.Entry.AwsOwn || price.Entry.Note is { Length: > 0 }, $"{price.Key}: a third party's figure says who quotes it and how far to trust it");
        });
    }

    private static UsageProfile SeedProfile() =>
        UsageProfile.Load(Path.Combine(AppContext.BaseDirectory, "profiles", "seed.json"));
}
