using Amazon.CDK.Assertions;
using IotPlayground.Cdk.Config;
using IotPlayground.Cdk.Stacks;
using static IotPlayground.Cdk.Tests.Stacks.Patterns;

namespace IotPlayground.Cdk.Tests.Stacks;

[Collection(CdkSynthesis.Name)]
public sealed class GrafanaStackTests(SynthesizedApp app)
{
    [Fact]
    public void TheEcsGrafanaReadsPrometheusAndPostgres()
    {
        app.TemplateOf(app.Environment("dev").Grafana).HasResourceProperties("AWS::ECS::TaskDefinition", Container(
            environment:
            [
                Variable(AppSettings.Grafana.Architecture, "ecs"),
                Variable(AppSettings.Grafana.PrometheusUrl, "http://prometheus.iot-playground.internal:9090"),
                Like(("Name", AppSettings.Grafana.PostgresHost)),
                Variable(AppSettings.Grafana.PostgresDatabase, AppSettings.Database.Name),
                Variable(AppSettings.Grafana.PostgresUser, AppSettings.Database.GrafanaRole),
            ],
            secrets:
            [
                Secret(AppSettings.Grafana.AdminPassword),
                Secret(AppSettings.Grafana.PostgresPassword),
            ]));
    }

    [Fact]
    public void TheEcsGrafanaNeverReceivesTheMasterSecretOnlyItsOwnRoles()
    {
        var dev = app.Environment("dev");
        var backend = dev.EcsBackend!;
        var exports = app.TemplateJson[backend.StackName]["Outputs"]!.AsObject()
            .Where(o => o.Value!["Export"] is not null)
            .ToDictionary(o => (string)o.Value!["Export"]!["Name"]!, o => o.Value!["Value"]!.ToJsonString());
        var grafana = app.TemplateJson[dev.Grafana.StackName].ToJsonString();

        var imported = exports.Where(e => grafana.Contains($"\"{e.Key}\"", StringComparison.Ordinal)).Select(e => e.Value).ToList();
        var grafanaRole = backend.GetLogicalId((Amazon.CDK.CfnElement)backend.GrafanaRoleSecret.Node.DefaultChild!);
        var master = backend.MasterSecretLogicalIds();

        Assert.Contains(imported, value => value.Contains(grafanaRole, StringComparison.Ordinal));
        Assert.DoesNotContain(imported, value => master.Any(id => value.Contains(id, StringComparison.Ordinal)));
    }

    [Fact]
    public void TheServerlessGrafanaReadsLogsOfItsEnvironmentsFunctionsOnly()
    {
        var environment = app.Environment("serverless-dev");
        var template = app.TemplateJson[environment.Grafana.StackName];
        var statements = template["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == "AWS::IAM::Policy")
            .SelectMany(r => r.Value!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(s => (Actions: AsList(s!["Action"]).Select(a => a.GetValue<string>()).ToList(), Resources: AsList(s["Resource"]).ToList()))
            .ToList();
        string[] withoutResourceLevel = ["logs:DescribeLogGroups", "logs:GetQueryResults", "logs:StopQuery"];
        string[] readsLogEvents = ["logs:StartQuery", "logs:GetLogEvents", "logs:FilterLogEvents", "logs:GetLogGroupFields"];

        var logReads = statements.Where(s => s.Actions.Any(readsLogEvents.Contains)).ToList();
        Assert.NotEmpty(logReads);
        foreach (var (actions, resources) in logReads)
        {
            Assert.All(resources, r => Assert.DoesNotContain("log-group:*", r.ToJsonString(), StringComparison.Ordinal));
            Assert.All(resources, r => Assert.NotEqual("\"*\"", r.ToJsonString()));
            Assert.Equal(environment.Serverless!.GrafanaLogGroups.Count, resources.Count);
        }

        var logsOnEveryResource = statements
            .Where(s => s.Resources.Any(r => r.ToJsonString() == "\"*\""))
            .SelectMany(s => s.Actions.Where(a => a.StartsWith("logs:", StringComparison.Ordinal)));
        Assert.All(logsOnEveryResource, a => Assert.Contains(a, withoutResourceLevel));
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("serverless-dev")]
    public void AnonymousViewingIsTheEnvironmentsSetting(string environment)
    {
        var stacks = app.Environment(environment);

        app.TemplateOf(stacks.Grafana).HasResourceProperties("AWS::ECS::TaskDefinition", Container(
            environment: [Variable(AppSettings.Grafana.AnonymousViewers, stacks.Config.Grafana.AnonymousViewers ? "true" : "false")],
            secrets: []));
    }

    private static IEnumerable<System.Text.Json.Nodes.JsonNode> AsList(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        null => [],
        System.Text.Json.Nodes.JsonArray array => array.OfType<System.Text.Json.Nodes.JsonNode>(),
        _ => [node],
    };

    [Fact]
    public void TheEcsGrafanaOpensPrometheusAndPostgresToItselfFromItsOwnStack()
    {
        var template = app.TemplateOf(app.Environment("dev").Grafana);

        foreach (var port in new[] { AppSettings.Prometheus.Port, AppSettings.Database.Port })
        {
            template.HasResourceProperties("AWS::EC2::SecurityGroupIngress", new Dictionary<string, object>
            {
                ["FromPort"] = port,
                ["GroupId"] = Like(("Fn::ImportValue", Match.AnyValue())),
            });
        }
    }

    [Fact]
    public void TheServerlessGrafanaReadsCloudWatchOnly()
    {
        var template = app.TemplateOf(app.Environment("serverless-dev").Grafana);

        template.HasResourceProperties("AWS::ECS::TaskDefinition", Container(
            environment: [Variable(AppSettings.Grafana.Architecture, "serverless")],
            secrets: [Secret(AppSettings.Grafana.AdminPassword)]));
        template.HasResourceProperties("AWS::IAM::Policy", new Dictionary<string, object>
        {
            ["PolicyDocument"] = Like(("Statement", With(Like(("Action", With("cloudwatch:GetMetricData")))))),
        });
    }

    [Theory]
    [InlineData("dev", "grafana-iot.example.com")]
    [InlineData("serverless-dev", "grafana-lambda-iot.example.com")]
    public void GrafanaIsServedOnItsHostNameWithoutALoadBalancerOfItsOwn(string environment, string hostName)
    {
        var template = app.TemplateOf(app.Environment(environment).Grafana);

        template.HasResourceProperties("AWS::Route53::RecordSet", new Dictionary<string, object> { ["Name"] = hostName + "." });
        template.ResourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 0);
        template.ResourceCountIs("AWS::SecretsManager::Secret", 1);
    }

    [Fact]
    public void TheEcsGrafanaIsAHostRuleOnTheBackendsLoadBalancerWithItsOwnCertificate()
    {
        var template = app.TemplateOf(app.Environment("dev").Grafana);

        template.HasResourceProperties("AWS::ElasticLoadBalancingV2::ListenerRule", new Dictionary<string, object>
        {
            ["Conditions"] = With(Like(("Field", "host-header"), ("HostHeaderConfig", Like(("Values", With("grafana-iot.example.com")))))),
            ["ListenerArn"] = Like(("Fn::ImportValue", Match.AnyValue())),
        });
        template.ResourceCountIs("AWS::ElasticLoadBalancingV2::ListenerCertificate", 1);
        template.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", new Dictionary<string, object>
        {
            ["HealthCheckPath"] = AppSettings.Grafana.HealthPath,
            ["TargetType"] = "ip",
        });
    }

    [Fact]
    public void TheServerlessGrafanaIsAnHttpApiWithAVpcLinkThrottledAndLogged()
    {
        var template = app.TemplateOf(app.Environment("serverless-dev").Grafana);

        template.HasResourceProperties("AWS::ApiGatewayV2::Api", new Dictionary<string, object>
        {
            ["ProtocolType"] = "HTTP",
            ["DisableExecuteApiEndpoint"] = true,
        });
        template.ResourceCountIs("AWS::ApiGatewayV2::VpcLink", 1);
        template.HasResourceProperties("AWS::ApiGatewayV2::DomainName", new Dictionary<string, object>
        {
            ["DomainName"] = "grafana-lambda-iot.example.com",
        });
        template.HasResourceProperties("AWS::ApiGatewayV2::Stage", new Dictionary<string, object>
        {
            ["AccessLogSettings"] = Like(("DestinationArn", Match.AnyValue())),
            ["DefaultRouteSettings"] = Like(("ThrottlingRateLimit", GrafanaStack.GatewayRateLimit)),
        });
        template.HasResourceProperties("AWS::ServiceDiscovery::Service", new Dictionary<string, object>
        {
            ["DnsConfig"] = Like(("DnsRecords", With(Like(("Type", "SRV"))))),
        });
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("serverless-dev")]
    public void GrafanaRunsOnTheConfiguredCapacityAndArchitectureWithAHealthCheck(string environment)
    {
        var stacks = app.Environment(environment);
        var template = app.TemplateOf(stacks.Grafana);
        Assert.Equal(FargateCapacity.Spot, stacks.Config.Grafana.Capacity);

        template.HasResourceProperties("AWS::ECS::Service", new Dictionary<string, object>
        {
            ["CapacityProviderStrategy"] = With(Like(("CapacityProvider", "FARGATE_SPOT"))),
        });
        template.HasResourceProperties("AWS::ECS::TaskDefinition", new Dictionary<string, object>
        {
            ["RuntimePlatform"] = Like(("CpuArchitecture", stacks.Config.Grafana.CpuArchitecture)),
            ["ContainerDefinitions"] = With(Like(("HealthCheck", Like(("Command", With(Match.StringLikeRegexp("/api/health"))))))),
        });
    }
}
