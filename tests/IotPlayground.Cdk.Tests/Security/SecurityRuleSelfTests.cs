using System.Text.Json.Nodes;

namespace IotPlayground.Cdk.Tests.Security;

/// <summary>The rules catch what they claim to catch: each one fails on a small bad template.</summary>
public sealed class SecurityRuleSelfTests
{
    [Theory]
    [InlineData(SecurityRules.BucketEncryption, """{"B":{"Type":"AWS::S3::Bucket","Properties":{}}}""")]
    [InlineData(SecurityRules.DatabasePublicAccess, """{"D":{"Type":"AWS::RDS::DBInstance","Properties":{"PubliclyAccessible":true}}}""")]
    [InlineData(SecurityRules.ListenerTls, """{"L":{"Type":"AWS::ElasticLoadBalancingV2::Listener","Properties":{"Protocol":"HTTPS","SslPolicy":"ELBSecurityPolicy-2016-08"}}}""")]
    [InlineData(SecurityRules.ListenerTls, """{"L":{"Type":"AWS::ElasticLoadBalancingV2::Listener","Properties":{"Protocol":"HTTP","DefaultActions":[{"Type":"forward"}]}}}""")]
    [InlineData(SecurityRules.ApiThrottling, """{"S":{"Type":"AWS::ApiGateway::Stage","Properties":{"MethodSettings":[]}}}""")]
    [InlineData(SecurityRules.LogRetention, """{"G":{"Type":"AWS::Logs::LogGroup","Properties":{}}}""")]
    [InlineData(SecurityRules.SecretInEnvironment, """{"F":{"Type":"AWS::Lambda::Function","Properties":{"Environment":{"Variables":{"DB_PASSWORD":"x"}}}}}""")]
    [InlineData(SecurityRules.CdnTls, """{"D":{"Type":"AWS::CloudFront::Distribution","Properties":{"DistributionConfig":{"ViewerCertificate":{"MinimumProtocolVersion":"TLSv1"},"DefaultCacheBehavior":{"ViewerProtocolPolicy":"redirect-to-https"}}}}}""")]
    [InlineData(SecurityRules.CdnTls, """{"D":{"Type":"AWS::CloudFront::Distribution","Properties":{"DistributionConfig":{"ViewerCertificate":{"MinimumProtocolVersion":"TLSv1.2_2021"},"DefaultCacheBehavior":{"ViewerProtocolPolicy":"https-only"},"CacheBehaviors":[{"PathPattern":"/x","ViewerProtocolPolicy":"allow-all"}]}}}}""")]
    public void TheRuleFlagsABadResource(string rule, string resources)
    {
        var templates = new Dictionary<string, JsonObject>
        {
            ["Bad"] = new() { ["Resources"] = JsonNode.Parse(resources) },
        };

        Assert.NotEmpty(SecurityRules.Check(rule, templates));
    }
}
