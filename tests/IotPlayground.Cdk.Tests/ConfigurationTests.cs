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

    [Theory]
    [InlineData("environments.dev", "vpcCidrs", "environments.dev.vpcCidrs is not a setting cdk.json may hold; expected only architecture, account")]
    [InlineData("environments.dev.grafana", "memory", "environments.dev.grafana.memory is not a setting cdk.json may hold; expected only cpu, memoryMiB, desiredCount")]
    [InlineData("environments.serverless-dev.serverless", "lambdaMemory", "environments.serverless-dev.serverless.lambdaMemory is not a setting cdk.json may hold; expected only lambdaMemoryMiB")]
    [InlineData("frontend", "origin", "context.iotPlayground.frontend.origin is not a setting cdk.json may hold; expected only environment, backends.")]
    public void AnUnknownMemberIsRefusedListingTheKnownOnes(string section, string member, string expected)
    {
        var context = CheckedInContext();
        Section(context, section)[member] = "x";

        var error = Assert.Throws<ConfigurationException>(() => PlaygroundConfigReader.Parse(context));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("environments.dev", "retainData", "context.iotPlayground.environments.dev.retainData is missing; expected true or false.")]
    [InlineData("environments.dev.ecs.database", "multiAz", "context.iotPlayground.environments.dev.ecs.database.multiAz is missing; expected true or false.")]
    [InlineData("environments.serverless-dev.serverless", "apiBurstLimit", "environments.serverless-dev.serverless.apiBurstLimit is missing; expected an integer.")]
    [InlineData("environments.dev", "hostedZone", "environments.dev.hostedZone is missing; expected an object of id, name.")]
    [InlineData("", "stateBucket", "context.iotPlayground.stateBucket is missing; expected an object of account, region.")]
    public void AMissingRequiredMemberIsNamedWithWhatBelongsThere(string section, string member, string expected)
    {
        var context = CheckedInContext();
        Section(context, section).Remove(member);

        var error = Assert.Throws<ConfigurationException>(() => PlaygroundConfigReader.Parse(context));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("environments.dev", "logRetentionDays", "\"30\"", "environments.dev.logRetentionDays is \"30\"; expected an integer.")]
    [InlineData("environments.dev.grafana", "anonymousViewers", "null", "environments.dev.grafana.anonymousViewers is null; expected true or false.")]
    [InlineData("environments.dev", "availabilityZones", "[\"eu-west-1a\", 2]", "environments.dev.availabilityZones is [\"eu-west-1a\",2]; expected an array of strings.")]
    [InlineData("environments.dev.ecs", "api", "256", "environments.dev.ecs.api is 256; expected an object of cpu, memoryMiB, desiredCount.")]
    [InlineData("environments.dev.ecs.api", "desiredCount", "0", "environments.dev.ecs.api.desiredCount is '0'; expected a positive number.")]
    [InlineData("environments.dev.subdomains", "api", "\"\"", "environments.dev.subdomains.api is ''; expected a non-empty string.")]
    public void AValueOfTheWrongKindIsNamedWithWhatBelongsThere(string section, string member, string json, string expected)
    {
        var context = CheckedInContext();
        Section(context, section)[member] = JsonNode.Parse(json);

        var error = Assert.Throws<ConfigurationException>(() => PlaygroundConfigReader.Parse(context));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
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

    [Theory]
    [InlineData("lambdaArchitecture", "\"aarch64\"", "one of x86_64, arm64")]
    [InlineData("lambdaMemoryMiB", "64", "Lambda's memory range, 128 to 10240")]
    public void AWrongFunctionSettingIsNamedWithWhatIsExpected(string field, string json, string expected)
    {
        var context = CheckedInContext();
        context["environments"]!["serverless-dev"]!["serverless"]![field] = JsonNode.Parse(json);

        var error = Assert.Throws<ConfigurationException>(() => PlaygroundConfigReader.Parse(context));

        Assert.Contains($"environments.serverless-dev.serverless.{field}", error.Message, StringComparison.Ordinal);
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
    public void TheCheckedInFrontendIsHostedByDevAndOffersBothBackends()
    {
        var frontend = PlaygroundConfigReader.FromCdkJson(CdkJson).Frontend;

        Assert.Equal("dev", frontend.Environment);
        Assert.Equal(["dev", "serverless-dev"], frontend.Backends);
    }

    [Theory]
    [InlineData("environment", "\"prod\"", "frontend.environment is 'prod'; expected an environment of context.iotPlayground.environments: dev, serverless-dev")]
    [InlineData("backends", "[\"dev\", \"prod\"]", "frontend.backends is 'prod'")]
    [InlineData("backends", "[]", "frontend.backends is ''; expected distinct environments")]
    [InlineData("backends", "[\"dev\", \"dev\"]", "frontend.backends is 'dev,dev'; expected distinct environments")]
    public void AFrontendNamingNoDefinedEnvironmentIsRefused(string field, string json, string expected)
    {
        var context = CheckedInContext();
        context["frontend"]![field] = JsonNode.Parse(json);

        var error = Assert.Throws<ConfigurationException>(() => PlaygroundConfigReader.Parse(context));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoBackendsOfOneArchitectureAreRefused()
    {
        var context = CheckedInContext();
        var twin = context["environments"]!["dev"]!.DeepClone();
        context["environments"]!["dev2"] = twin;
        context["frontend"]!["backends"] = JsonNode.Parse("""["dev", "dev2"]""");

        var error = Assert.Throws<ConfigurationException>(() => PlaygroundConfigReader.Parse(context));

        Assert.Contains("frontend.backends is 'dev,dev2'; expected at most one environment per architecture", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABackendThatAllowsAnotherOriginByCorsIsRefused()
    {
        var context = CheckedInContext();
        context["environments"]!["serverless-dev"]!["subdomains"]!["frontend"] = "web-iot";

        var error = Assert.Throws<ConfigurationException>(() => PlaygroundConfigReader.Parse(context));

        Assert.Contains("lists 'serverless-dev', whose API allows the origin https://web-iot.example.com", error.Message, StringComparison.Ordinal);
        Assert.Contains("served from https://app-iot.example.com by 'dev'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFrontendSectionIsNamed()
    {
        var context = CheckedInContext();
        context.Remove("frontend");

        var error = Assert.Throws<ConfigurationException>(() => PlaygroundConfigReader.Parse(context));

        Assert.Contains("context.iotPlayground.frontend is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ContextValuesAsTheCdkPassesThemAreRead()
    {
        var asDictionaries = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object>>(CheckedInContext().ToJsonString());

        var config = PlaygroundConfigReader.FromContextValue(asDictionaries);

        Assert.Equal(2, config.Environments.Count);
    }

    private static JsonObject Section(JsonObject context, string path) =>
        path.Split('.', StringSplitOptions.RemoveEmptyEntries).Aggregate(context, (node, key) => node[key]!.AsObject());

    private static JsonObject CheckedInContext() =>
        JsonNode.Parse(File.ReadAllText(CdkJson))!["context"]![PlaygroundConfig.ContextKey]!.DeepClone().AsObject();
}
