using Amazon.CDK;
using IotPlayground.Cdk.Constructs;

namespace IotPlayground.Cdk.Tests;

[Collection(CdkSynthesis.Name)]
public sealed class DotNetLambdaTests(SynthesizedApp app)
{
    [Fact]
    public void AMissingProjectIsNamedWhenBundlingIsNeeded()
    {
        var stack = new Stack(new App(), "BundlingStack");

        var error = Assert.Throws<InvalidOperationException>(() => new DotNetLambda(stack, "Fn", Props("lambdas/Nope/Nope.csproj")));

        Assert.Contains("lambdas/Nope/Nope.csproj does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingProjectIsAcceptedWhenBundlingIsSkipped()
    {
        var skipping = new App(new AppProps
        {
            Context = new Dictionary<string, object> { ["aws:cdk:bundling-stacks"] = Array.Empty<string>() },
        });

        var function = new DotNetLambda(new Stack(skipping, "TemplatesOnly"), "Fn", Props("lambdas/Nope/Nope.csproj"));

        Assert.NotNull(function.Function);
    }

    private DotNetLambdaProps Props(string project) => new()
    {
        RepositoryRoot = app.RepositoryRoot,
        ProjectPath = project,
        Description = "test",
        MemoryMiB = 128,
        Architecture = IotPlayground.Lambda.LambdaPublish.X64,
        Timeout = Duration.Seconds(3),
        Environment = new Dictionary<string, string>(),
        LogRetention = Amazon.CDK.AWS.Logs.RetentionDays.ONE_DAY,
        LogRemovalPolicy = RemovalPolicy.DESTROY,
    };
}
