using Amazon.CDK;
using IotPlayground.Cdk.Constructs;
using IotPlayground.Cdk.Stacks;

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

    [Theory]
    [InlineData("x86_64", "linux-x64")]
    [InlineData("arm64", "linux-arm64")]
    public void TheBuildImagePublishesNativeAotForTheFunctionsArchitecture(string architecture, string runtimeIdentifier)
    {
        Assert.Equal(
            [
                "dotnet", "publish", "/asset-input/lambdas/IotPlayground.RunApi/IotPlayground.RunApi.csproj",
                "-c", "Release", "-r", runtimeIdentifier, "--artifacts-path", "/tmp/artifacts", "-o", "/asset-output",
            ],
            DotNetLambda.ContainerCommand(@"lambdas\IotPlayground.RunApi\IotPlayground.RunApi.csproj", architecture));
    }

    [Fact]
    public void TheBuildImageIsAmazonLinux2023WithAToolchainForNativeAot()
    {
        var dockerfile = File.ReadAllLines(Path.Combine(app.RepositoryRoot, DotNetLambda.BuildImageFolder, "Dockerfile"));

        // The executable links against the build machine's C library: it must be provided.al2023's own.
        Assert.Contains("FROM public.ecr.aws/amazonlinux/amazonlinux:2023", dockerfile);
        Assert.Contains(dockerfile, line => line.StartsWith("RUN dnf install -y clang binutils zlib-devel", StringComparison.Ordinal));
    }

    [Fact]
    public void AnArchitectureLambdaDoesNotHaveIsRefusedByName()
    {
        var stack = new Stack(new App(), "ArchitectureStack");

        var error = Assert.Throws<ArgumentException>(() => new DotNetLambda(stack, "Fn", Props(ServerlessStack.RunApiProject) with { Architecture = "aarch64" }));

        Assert.Contains("architecture 'aarch64' is not a Lambda architecture; use x86_64 or arm64", error.Message, StringComparison.Ordinal);
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
