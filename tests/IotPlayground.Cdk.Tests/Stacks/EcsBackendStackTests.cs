using Amazon.CDK.Assertions;
using static IotPlayground.Cdk.Tests.Stacks.Patterns;

namespace IotPlayground.Cdk.Tests.Stacks;

[Collection(CdkSynthesis.Name)]
public sealed class EcsBackendStackTests(SynthesizedApp app)
{
    private EnvironmentStacks Dev => app.Environment("dev");

    private Template Template => app.TemplateOf(Dev.EcsBackend!);

    [Fact]
    public void OnlyTheEcsEnvironmentHasTheContainerBackend()
    {
        Assert.NotNull(Dev.EcsBackend);
        Assert.Null(app.Environment("serverless-dev").EcsBackend);
    }

    [Fact]
    public void PostgresIsEncryptedPrivateBackedUpAndInIsolatedSubnets()
    {
        Template.HasResourceProperties("AWS::RDS::DBInstance", new Dictionary<string, object>
        {
            ["Engine"] = "postgres",
            ["StorageEncrypted"] = true,
            ["PubliclyAccessible"] = false,
            ["BackupRetentionPeriod"] = 7,
            ["DBName"] = AppSettings.Database.Name,
        });
        Assert.Equal(
            Dev.Network.Vpc.IsolatedSubnets.Select(s => s.SubnetId),
            Dev.Network.Vpc.SelectSubnets(Dev.Network.DataSubnets).SubnetIds);
    }

    [Fact]
    public void TheApiGetsItsConnectionFromSettingsAndItsCredentialsAsSecrets()
    {
        Template.HasResourceProperties("AWS::ECS::TaskDefinition", Container(
            environment:
            [
                Like(("Name", AppSettings.ContainerApi.ConnectionString)),
                Variable(AppSettings.ContainerApi.GrafanaBaseUrl, "https://grafana-iot.example.com"),
                Variable(AppSettings.ContainerApi.CorsAllowedOrigin, "https://app-iot.example.com"),
            ],
            secrets:
            [
                Secret(AppSettings.ContainerApi.DatabaseUsername),
                Secret(AppSettings.ContainerApi.DatabasePassword),
            ]));
    }

    [Fact]
    public void TheApiIsServedOverHttpsOnItsHostNameWithAHealthCheck()
    {
        Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", new Dictionary<string, object>
        {
            ["Protocol"] = "HTTPS",
            ["Port"] = 443,
            ["SslPolicy"] = "ELBSecurityPolicy-TLS13-1-2-2021-06",
        });
        Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", new Dictionary<string, object>
        {
            ["Protocol"] = "HTTP",
            ["DefaultActions"] = With(Like(("Type", "redirect"))),
        });
        Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", new Dictionary<string, object>
        {
            ["HealthCheckPath"] = AppSettings.ContainerApi.HealthPath,
        });
        Template.HasResourceProperties("AWS::Route53::RecordSet", new Dictionary<string, object>
        {
            ["Name"] = "api-iot.example.com.",
            ["Type"] = "A",
        });
    }

    [Fact]
    public void PrometheusRunsAsItsOwnServiceAndIsAdmittedToTheApiPort()
    {
        Template.ResourceCountIs("AWS::ECS::Service", 2);
        Template.HasResourceProperties("AWS::ServiceDiscovery::Service", new Dictionary<string, object>
        {
            ["Name"] = AppSettings.ServiceDiscovery.PrometheusServiceName,
        });
        Template.HasResourceProperties("AWS::ServiceDiscovery::Service", new Dictionary<string, object>
        {
            ["Name"] = AppSettings.ServiceDiscovery.ApiServiceName,
        });
        Template.HasResourceProperties("AWS::EC2::SecurityGroupIngress", new Dictionary<string, object>
        {
            ["FromPort"] = AppSettings.ContainerApi.Port,
            ["Description"] = Match.StringLikeRegexp("Prometheus"),
        });
    }

    [Fact]
    public void OnlyTheApiTasksMayReachTheDatabase()
    {
        var stack = Dev.EcsBackend!;
        var databaseGroup = LogicalId(stack, Dev.EcsBackend!.DataSources.DatabaseSecurityGroup);
        var apiGroup = LogicalId(stack, stack.Api.Service.Connections.SecurityGroups[0]);

        var rules = Template.FindResources("AWS::EC2::SecurityGroupIngress").Values
            .Select(r => System.Text.Json.JsonSerializer.SerializeToNode(r["Properties"])!)
            .Where(p => p["GroupId"]!.ToJsonString().Contains(databaseGroup, StringComparison.Ordinal))
            .ToList();

        var rule = Assert.Single(rules);
        Assert.Contains(apiGroup, rule["SourceSecurityGroupId"]!.ToJsonString(), StringComparison.Ordinal);
    }

    private static string LogicalId(Amazon.CDK.Stack stack, Amazon.CDK.AWS.EC2.ISecurityGroup group) =>
        stack.GetLogicalId((Amazon.CDK.CfnElement)group.Node.DefaultChild!);

    [Fact]
    public void TheBackendUsesTheNetworkAndDnsStacksByReference()
    {
        var dependencies = Dev.EcsBackend!.Dependencies.Select(d => d.StackName).ToList();

        Assert.Contains("dev-Network", dependencies);
        Assert.Contains("dev-Dns", dependencies);
    }
}
