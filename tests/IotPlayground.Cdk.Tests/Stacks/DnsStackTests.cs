using Amazon.CDK.Assertions;

namespace IotPlayground.Cdk.Tests.Stacks;

[Collection(CdkSynthesis.Name)]
public sealed class DnsStackTests(SynthesizedApp app)
{
    [Theory]
    [InlineData("dev", "api-iot.example.com")]
    [InlineData("dev", "grafana-iot.example.com")]
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
    public void NoDnsStackIssuesTheFrontendsCertificate()
    {
        // CloudFront could not use a regional one, and a second certificate for the same name would
        // share (and on deletion remove) the Frontend stack's DNS validation record.
        Assert.All(app.Stacks.Environments, env =>
            app.TemplateOf(env.Dns).ResourceCountIs("AWS::CertificateManager::Certificate", 2));
    }
}
