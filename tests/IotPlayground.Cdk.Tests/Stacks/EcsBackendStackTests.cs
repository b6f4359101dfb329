using Amazon.CDK.Assertions;
using IotPlayground.Contract;
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
                Variable(SettingNames.ContainerApi.GrafanaBaseUrl, "https://grafana-iot.example.com"),
                Variable(SettingNames.ContainerApi.CorsAllowedOrigin, "https://app-iot.example.com"),
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
        Template.HasResourceProperties("AWS::Route53::RecordSet", new Dictionary<string, object>
        {
            ["Name"] = "api-iot.example.com.",
            ["Type"] = "A",
        });
    }

    [Fact]
    public void TheLoadBalancerAsksTheLivenessEndpointNotTheStoreDependentHealth()
    {
        var targetGroup = Assert.Single(Template.FindResources("AWS::ElasticLoadBalancingV2::TargetGroup").Values);
        var properties = System.Text.Json.JsonSerializer.SerializeToNode(targetGroup["Properties"])!;

        Assert.Equal(AppSettings.ContainerApi.LivenessPath, (string?)properties["HealthCheckPath"]);
        Assert.NotEqual(AppSettings.ContainerApi.HealthPath, AppSettings.ContainerApi.LivenessPath);
    }

    [Fact]
    public void TheLoadBalancerAnswers404ForMetricsWhichOnlyPrometheusReadsInsideTheVpc()
    {
        Template.HasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", new Dictionary<string, object>
        {
            ["Conditions"] = With(Like(("Field", "path-pattern"), ("PathPatternConfig", Like(("Values", With(AppSettings.ContainerApi.MetricsPath)))))),
            ["Actions"] = With(Like(("Type", "fixed-response"), ("FixedResponseConfig", Like(("StatusCode", "404"))))),
        });
    }

    [Fact]
    public void TheApiConnectsAsItsApplicationRoleAndOnlyTheMigrationGetsTheMasterSecret()
    {
        var stack = Dev.EcsBackend!;
        var master = stack.MasterSecretLogicalIds();
        var containers = TaskDefinitionOf(stack.Api.TaskDefinition)["ContainerDefinitions"]!.AsArray();

        var app = containers.Single(c => (string?)c!["Name"] == "app")!;
        var migration = containers.Single(c => (string?)c!["Name"] == "migrate")!;

        Assert.Contains(LogicalId(stack, stack.ApplicationRoleSecret), app["Secrets"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(master, id => app.ToJsonString().Contains(id, StringComparison.Ordinal));
        Assert.Contains(master, id => migration["Secrets"]!.ToJsonString().Contains(id, StringComparison.Ordinal));
        Assert.Equal(AppSettings.ContainerApi.MigrateCommand, (string?)migration["Command"]![0]);
        Assert.Contains(
            app["DependsOn"]!.AsArray(),
            d => (string?)d!["ContainerName"] == "migrate" && (string?)d["Condition"] == "SUCCESS");
        Assert.Contains(app["Environment"]!.AsArray(), v => (string?)v!["Name"] == AppSettings.ContainerApi.MigrateAtStartup && (string?)v["Value"] == "false");
    }

    [Fact]
    public void PrometheusHasALivenessCheckOfItsOwn()
    {
        var stack = Dev.EcsBackend!;
        var prometheus = Assert.Single(TaskDefinitionOf((Amazon.CDK.AWS.ECS.TaskDefinition)stack.Prometheus.TaskDefinition)["ContainerDefinitions"]!.AsArray())!;

        Assert.Contains("/-/healthy", prometheus["HealthCheck"]!["Command"]!.ToJsonString(), StringComparison.Ordinal);
    }

    private System.Text.Json.Nodes.JsonNode TaskDefinitionOf(Amazon.CDK.AWS.ECS.TaskDefinition task) =>
        app.TemplateJson[Dev.EcsBackend!.StackName]["Resources"]![Dev.EcsBackend!.GetLogicalId((Amazon.CDK.CfnElement)task.Node.DefaultChild!)]!["Properties"]!;

    private static string LogicalId(Amazon.CDK.Stack stack, Amazon.CDK.AWS.SecretsManager.Secret construct) =>
        stack.GetLogicalId((Amazon.CDK.CfnElement)construct.Node.DefaultChild!);

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
