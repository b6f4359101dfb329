using Amazon.CDK.Assertions;
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
                Variable(AppSettings.Grafana.PostgresUser, AppSettings.Database.Username),
            ],
            secrets:
            [
                Secret(AppSettings.Grafana.AdminPassword),
                Secret(AppSettings.Grafana.PostgresPassword),
            ]));
    }

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
    public void GrafanaIsServedOverHttpsOnItsHostName(string environment, string hostName)
    {
        var template = app.TemplateOf(app.Environment(environment).Grafana);

        template.HasResourceProperties("AWS::Route53::RecordSet", new Dictionary<string, object> { ["Name"] = hostName + "." });
        template.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", new Dictionary<string, object>
        {
            ["HealthCheckPath"] = AppSettings.Grafana.HealthPath,
        });
        template.ResourceCountIs("AWS::SecretsManager::Secret", 1);
    }
}
