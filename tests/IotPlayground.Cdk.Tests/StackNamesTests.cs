namespace IotPlayground.Cdk.Tests;

[Collection(CdkSynthesis.Name)]
public sealed class StackNamesTests(SynthesizedApp app)
{
    [Fact]
    public void TheAppHasTheSharedStateBucketAndEachEnvironmentsComponentStacks()
    {
        string[] expected =
        [
            "StateBucket",
            "dev-Dns", "dev-Network", "dev-EcsBackend", "dev-Grafana", "dev-Frontend",
            "serverless-dev-Dns", "serverless-dev-Network", "serverless-dev-Serverless", "serverless-dev-Grafana",
        ];

        Assert.Equal(expected.Order(), app.Stacks.All.Select(s => s.StackName).Order());
    }

    [Fact]
    public void EveryStackTargetsItsConfiguredAccountAndRegion()
    {
        foreach (var environment in app.Stacks.Environments)
        {
            Assert.All(environment.All.Where(s => s != environment.Frontend), stack =>
            {
                Assert.Equal(environment.Config.Location.Account, stack.Account);
                Assert.Equal(environment.Config.Location.Region, stack.Region);
            });
        }
    }

    [Fact]
    public void TheFrontendStackTargetsTheConfiguredAccountInUsEast1WhereCloudFrontTakesCertificates()
    {
        var dev = app.Environment("dev");

        Assert.Equal(dev.Config.Location.Account, dev.Frontend!.Account);
        Assert.Equal("us-east-1", dev.Frontend.Region);
    }

    [Fact]
    public void TheStateBucketStackIsTerminationProtected() =>
        Assert.True(app.Stacks.StateBucket.TerminationProtection);
}
