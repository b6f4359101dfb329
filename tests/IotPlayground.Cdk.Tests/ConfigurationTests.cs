using System.Text.Json.Nodes;
using IotPlayground.Cdk.Config;

namespace IotPlayground.Cdk.Tests;

/// <summary>Configuration mistakes fail at once, naming the value to fix. No synthesis involved.</summary>
public sealed class ConfigurationTests
{
    private static readonly string CdkJson = Path.Combine(RepositoryRoot.Locate(AppContext.BaseDirectory), "cdk.json");

    [Fact]
    public void TheCheckedInConfigurationDefinesBothArchitectures()
    {
        var config = PlaygroundConfigReader.FromCdkJson(CdkJson);

        Assert.Equal(Architecture.Ecs, config.Environments.Single(e => e.Name == "dev").Architecture);
        Assert.Equal(Architecture.Serverless, config.Environments.Single(e => e.Name == "serverless-dev").Architecture);
    }

    [Theory]
    [InlineData("dev", "10.0.0.0/16")]
    [InlineData("serverless-dev", "10.1.0.0/16")]
    public void EachEnvironmentHasItsOwnVpcRange(string environment, string cidr) =>
        Assert.Equal(cidr, PlaygroundConfigReader.FromCdkJson(CdkJson).Environments.Single(e => e.Name == environment).VpcCidr);

    [Fact]
    public void AMissingFieldIsNamedWithItsPath()
    {
        var context = CheckedInContext();
        context["environments"]!["dev"]!.AsObject().Remove("vpcCidr");

        var error = Assert.Throws<ConfigurationException>(() => PlaygroundConfigReader.Parse(context));

        Assert.Contains("context.iotPlayground.environments.dev.vpcCidr is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownEnvironmentIsRefusedListingTheKnownOnes()
    {
        var config = PlaygroundConfigReader.FromCdkJson(CdkJson);

        var error = Assert.Throws<ConfigurationException>(() => config.Select("prod"));

        Assert.Contains("Unknown environment 'prod'", error.Message, StringComparison.Ordinal);
        Assert.Contains("dev, serverless-dev", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoSelectionMeansEveryEnvironment() =>
        Assert.Equal(2, PlaygroundConfigReader.FromCdkJson(CdkJson).Select(null).Count);

    [Theory]
    [InlineData("nat", "\"always\"", "one of gateway, instance, none")]
    [InlineData("vpcCidr", "\"10.0.0.0/8\"", "from /16 to /21")]
    [InlineData("logRetentionDays", "10", "a CloudWatch Logs retention")]
    [InlineData("account", "\"1234\"", "a 12-digit AWS account id")]
    [InlineData("domain", "\"example.org\"", "the hosted zone's name")]
    public void AWrongValueIsNamedWithWhatIsExpected(string field, string json, string expected)
    {
        var context = CheckedInContext();
        context["environments"]!["dev"]![field] = JsonNode.Parse(json);

        var error = Assert.Throws<ConfigurationException>(() => PlaygroundConfigReader.Parse(context));

        Assert.Contains($"environments.dev.{field}", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASectionOfTheOtherArchitectureIsRefused()
    {
        var context = CheckedInContext();
        context["environments"]!["dev"]!["serverless"] = context["environments"]!["serverless-dev"]!["serverless"]!.DeepClone();

        var error = Assert.Throws<ConfigurationException>(() => PlaygroundConfigReader.Parse(context));

        Assert.Contains("environments.dev.serverless is set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContextValuesAsTheCdkPassesThemAreRead()
    {
        var asDictionaries = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object>>(CheckedInContext().ToJsonString());

        var config = PlaygroundConfigReader.FromContextValue(asDictionaries);

        Assert.Equal(2, config.Environments.Count);
    }

    private static JsonObject CheckedInContext() =>
        JsonNode.Parse(File.ReadAllText(CdkJson))!["context"]![PlaygroundConfig.ContextKey]!.DeepClone().AsObject();
}
