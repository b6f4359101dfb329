using Amazon.CDK.Assertions;

namespace IotPlayground.Cdk.Tests.Stacks;

[Collection(CdkSynthesis.Name)]
public sealed class NetworkStackTests(SynthesizedApp app)
{
    [Theory]
    [InlineData("dev", "10.0.0.0/16", 6)]
    [InlineData("serverless-dev", "10.1.0.0/16", 4)]
    public void TheVpcSpansTwoZonesWithTheConfiguredRange(string environment, string cidr, int subnets)
    {
        var template = app.TemplateOf(app.Environment(environment).Network);

        template.HasResourceProperties("AWS::EC2::VPC", new Dictionary<string, object> { ["CidrBlock"] = cidr });
        template.ResourceCountIs("AWS::EC2::Subnet", subnets);
        Assert.Equal(
            ["eu-west-1a", "eu-west-1b"],
            template.FindResources("AWS::EC2::Subnet").Values
                .Select(s => (string)((IDictionary<string, object>)s["Properties"])["AvailabilityZone"])
                .Distinct()
                .Order());
    }

    [Fact]
    public void DevUsesOneNatInstanceAndNoNatGateway()
    {
        var template = app.TemplateOf(app.Environment("dev").Network);

        template.ResourceCountIs("AWS::EC2::Instance", 1);
        template.ResourceCountIs("AWS::EC2::NatGateway", 0);
    }

    [Fact]
    public void ServerlessDevHasNoNatAndRunsTasksInPublicSubnets()
    {
        var env = app.Environment("serverless-dev");

        app.TemplateOf(env.Network).ResourceCountIs("AWS::EC2::Instance", 0);
        app.TemplateOf(env.Network).ResourceCountIs("AWS::EC2::NatGateway", 0);
        Assert.True(env.Network.Placement.AssignPublicIp);
    }
}
