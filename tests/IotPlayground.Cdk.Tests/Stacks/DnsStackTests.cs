using Amazon.CDK.Assertions;

namespace IotPlayground.Cdk.Tests.Stacks;

[Collection(CdkSynthesis.Name)]
public sealed class DnsStackTests(SynthesizedApp app)
{
    [Theory]
    [InlineData("dev", "api-iot.example.com")]
    [InlineData("dev", "grafana-iot.example.com")]
    [InlineData("dev", "app-iot.example.com")]
    [InlineData("serverless-dev", "api-lambda-iot.example.com")]
    [InlineData("serverless-dev", "grafana-lambda-iot.example.com")]
    public void EachServedHostGetsADnsValidatedCertificateInTheConfiguredZone(string environment, string hostName)
    {
        var env = app.Environment(environment);

        app.TemplateOf(env.Dns).HasResourceProperties("AWS::CertificateManager::Certificate", new Dictionary<string, object>
        {
            ["DomainName"] = hostName,
            ["ValidationMethod"] = "DNS",
            ["DomainValidationOptions"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["DomainName"] = hostName,
                    ["HostedZoneId"] = env.Config.HostedZone.Id,
                },
            },
        });
    }

    [Fact]
    public void OnlyOneEnvironmentIssuesTheSharedFrontendCertificate()
    {
        var issuers = app.Stacks.Environments.Where(e => e.Dns.FrontendCertificate is not null).ToList();

        Assert.Equal("dev", Assert.Single(issuers).Config.Name);
        app.TemplateOf(app.Environment("serverless-dev").Dns).ResourceCountIs("AWS::CertificateManager::Certificate", 2);
    }
}
