namespace IotPlayground.Cdk.Tests.Security;

[Collection(CdkSynthesis.Name)]
public sealed class SecurityRuleTests(SynthesizedApp app)
{
    public static TheoryData<string> Rules { get; } =
    [
        SecurityRules.BucketEncryption,
        SecurityRules.DatabasePublicAccess,
        SecurityRules.TableEncryption,
        SecurityRules.ListenerTls,
        SecurityRules.ApiDomainTls,
        SecurityRules.ApiThrottling,
        SecurityRules.LogRetention,
        SecurityRules.SecretInEnvironment,
        SecurityRules.CdnTls,
    ];

    [Theory]
    [MemberData(nameof(Rules))]
    public void EverySynthesizedTemplateKeepsTheRule(string rule)
    {
        var violations = SecurityRules.Check(rule, app.TemplateJson)
            .Where(v => !SecurityRuleExceptions.All.Any(e => e.Covers(v)))
            .ToList();

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void EveryWrittenExceptionStillCoversAViolation()
    {
        var stale = SecurityRuleExceptions.All
            .Where(e => !SecurityRules.Check(e.Rule, app.TemplateJson).Any(e.Covers))
            .ToList();

        Assert.True(stale.Count == 0, "Remove exceptions that no longer apply: " + string.Join(", ", stale));
    }

    [Fact]
    public void TheRulesSeeTheResourcesTheyGuard()
    {
        // A rule over zero resources passes vacuously; make sure each kind is really present.
        string[] guarded =
        [
            "AWS::S3::Bucket", "AWS::RDS::DBInstance", "AWS::DynamoDB::Table", "AWS::EC2::SecurityGroup",
            "AWS::ElasticLoadBalancingV2::Listener", "AWS::ApiGateway::Stage", "AWS::ApiGateway::DomainName",
            "AWS::IAM::Policy", "AWS::Logs::LogGroup", "AWS::Lambda::Function", "AWS::ECS::TaskDefinition",
            "AWS::CloudFront::Distribution", "AWS::S3::BucketPolicy",
        ];

        Assert.All(guarded, type => Assert.NotEmpty(TemplateResource.OfType(app.TemplateJson, type)));
    }
}
