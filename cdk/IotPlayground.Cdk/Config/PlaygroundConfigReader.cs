using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IotPlayground.Lambda;

namespace IotPlayground.Cdk.Config;

/// <summary>
/// Reads <see cref="PlaygroundConfig"/> from the <c>iotPlayground</c> context of cdk.json: first into the
/// source-generated <see cref="ConfigFile"/> (a missing member, an unknown one or a value of the wrong type is refused
/// there), then one validation pass over the values. Either way the first mistake fails with its full path, so a typo
/// never reaches CloudFormation.
/// </summary>
public static class PlaygroundConfigReader
{
    private const string Root = "context." + PlaygroundConfig.ContextKey;

    /// <summary>Reads the configuration from a context value as the CDK app receives it.</summary>
    public static PlaygroundConfig FromContextValue(object? contextValue) =>
        Parse(contextValue is null ? null : JsonSerializer.SerializeToNode(contextValue));

    /// <summary>Reads the configuration from the <c>context</c> object of a cdk.json file.</summary>
    public static PlaygroundConfig FromCdkJson(string cdkJsonPath)
    {
        var document = JsonNode.Parse(File.ReadAllText(cdkJsonPath));
        return Parse(document?["context"]?[PlaygroundConfig.ContextKey]);
    }

    public static PlaygroundConfig Parse(JsonNode? node)
    {
        if (node is not JsonObject)
        {
            throw new ConfigurationException(node is null ? $"cdk.json: {Root} is missing." : $"cdk.json: {Root} must be an object.");
        }

        ConfigFile file;
        try
        {
            file = node.Deserialize(ConfigFileJson.Default.ConfigFile)!;
        }
        catch (JsonException error)
        {
            throw new ConfigurationException(ConfigFileErrors.Explain(node, Root, error), error);
        }

        ConfigFileErrors.RefuseEmptyAndNonPositive(node, Root);
        return Validate(file);
    }

    private static PlaygroundConfig Validate(ConfigFile file)
    {
        var root = new Place(Root);
        if (file.Environments.Count == 0)
        {
            throw new ConfigurationException($"cdk.json: {root.Path}.environments defines no environment.");
        }

        var environments = root.Then("environments");
        List<EnvironmentConfig> all = [.. file.Environments.Select(e => ValidateEnvironment(e.Key, e.Value, environments.Then(e.Key)))];
        return new PlaygroundConfig(
            ValidateLocation(file.StateBucket, root.Then("stateBucket")),
            ValidateFrontend(file.Frontend, root.Then("frontend"), all),
            all);
    }

    private static FrontendConfig ValidateFrontend(FrontendConfig frontend, Place place, IReadOnlyList<EnvironmentConfig> environments)
    {
        var defined = string.Join(", ", environments.Select(e => e.Name));
        EnvironmentConfig Defined(string key, string name) =>
            environments.FirstOrDefault(e => e.Name == name)
            ?? throw place.Invalid(key, name, $"an environment of {Root}.environments: {defined}");

        var host = Defined("environment", frontend.Environment);
        var backendNames = frontend.Backends;
        if (backendNames.Count == 0 || backendNames.Distinct(StringComparer.Ordinal).Count() != backendNames.Count)
        {
            throw place.Invalid("backends", string.Join(",", backendNames), $"distinct environments among: {defined}");
        }

        var backends = backendNames.Select(name => Defined("backends", name)).ToList();

        // The page tells its backends apart by architecture (its backend ids are "ecs" and "serverless").
        if (backends.GroupBy(b => b.Architecture).FirstOrDefault(g => g.Count() > 1) is { } twins)
        {
            throw place.Invalid("backends", string.Join(",", twins.Select(b => b.Name)), "at most one environment per architecture");
        }

        // A backend whose API allows another origin by CORS would refuse every call from the page.
        if (backends.FirstOrDefault(b => b.FrontendOrigin != host.FrontendOrigin) is { } stranger)
        {
            throw new ConfigurationException(
                $"cdk.json: {place.Path}.backends lists '{stranger.Name}', whose API allows the origin " +
                $"{stranger.FrontendOrigin}, but the page is served from {host.FrontendOrigin} by '{host.Name}'. " +
                "Give both environments the same domain and subdomains.frontend.");
        }

        return frontend;
    }

    private static AwsLocation ValidateLocation(AwsLocation location, Place place)
    {
        if (location.Account.Length != 12 || !location.Account.All(char.IsAsciiDigit))
        {
            throw place.Invalid("account", location.Account, "a 12-digit AWS account id");
        }

        return location;
    }

    private static EnvironmentConfig ValidateEnvironment(string name, EnvironmentSection env, Place place)
    {
        var architecture = place.Enum<Architecture>("architecture", env.Architecture);
        if (env.Domain != env.HostedZone.Name && !env.Domain.EndsWith("." + env.HostedZone.Name, StringComparison.Ordinal))
        {
            throw place.Invalid("domain", env.Domain, $"the hosted zone's name '{env.HostedZone.Name}' or a subdomain of it");
        }

        if (env.AvailabilityZones.Count < 2)
        {
            throw place.Invalid("availabilityZones", string.Join(",", env.AvailabilityZones), "two availability zones of the region");
        }

        return new EnvironmentConfig
        {
            Name = name,
            Architecture = architecture,
            Location = ValidateLocation(new AwsLocation(env.Account, env.Region), place),
            AvailabilityZones = env.AvailabilityZones,
            Domain = env.Domain,
            HostedZone = env.HostedZone,
            Subdomains = env.Subdomains,
            VpcCidr = ValidateCidr(env.VpcCidr, place, "vpcCidr"),
            Nat = place.Enum<NatMode>("nat", env.Nat),
            LogRetentionDays = ValidateLogRetention(env.LogRetentionDays, place, "logRetentionDays"),
            RetainData = env.RetainData,
            Grafana = ValidateGrafana(env.Grafana, place.Then("grafana"), architecture),
            Ecs = architecture == Architecture.Ecs
                ? place.Present("ecs", env.Ecs)
                : place.Absent("ecs", env.Ecs, architecture),
            Serverless = architecture == Architecture.Serverless
                ? ValidateServerless(place.Present("serverless", env.Serverless), place.Then("serverless"))
                : place.Absent("serverless", env.Serverless, architecture),
        };
    }

    private static ServerlessConfig ValidateServerless(ServerlessConfig serverless, Place place)
    {
        if (serverless.LambdaMemoryMiB is < 128 or > 10_240)
        {
            throw place.Invalid("lambdaMemoryMiB", serverless.LambdaMemoryMiB, "Lambda's memory range, 128 to 10240 (MiB)");
        }

        return LambdaPublish.Architectures.Contains(serverless.LambdaArchitecture, StringComparer.Ordinal)
            ? serverless
            : throw place.Invalid("lambdaArchitecture", serverless.LambdaArchitecture, "one of " + string.Join(", ", LambdaPublish.Architectures));
    }

    private static int ValidateLogRetention(int days, Place place, string key) => LogRetention.IsSupported(days)
        ? days
        : throw place.Invalid(key, days, "a CloudWatch Logs retention: " + string.Join(", ", LogRetention.SupportedDays));

    private static GrafanaConfig ValidateGrafana(GrafanaSection grafana, Place place, Architecture architecture)
    {
        var access = place.Enum<GrafanaAccess>("access", grafana.Access);
        if (access == GrafanaAccess.Shared && architecture != Architecture.Ecs)
        {
            throw place.Invalid("access", "shared", "dedicated or gateway: only the ECS architecture has a load balancer to share");
        }

        return new GrafanaConfig(
            new FargateSize(grafana.Cpu, grafana.MemoryMiB, grafana.DesiredCount),
            grafana.AnonymousViewers,
            access,
            place.Enum<FargateCapacity>("capacity", grafana.Capacity),
            grafana.Architecture switch
            {
                "x86_64" => "X86_64",
                "arm64" => "ARM64",
                _ => throw place.Invalid("architecture", grafana.Architecture, "x86_64 or arm64"),
            });
    }

    private static string ValidateCidr(string value, Place place, string key) =>
        IPNetwork.TryParse(value, out var network) && network.PrefixLength is >= 16 and <= 21
            ? value
            : throw place.Invalid(key, value, "an IPv4 CIDR block from /16 to /21 (room for six /24 subnets), e.g. 10.0.0.0/16");

    /// <summary>Where a value sits in cdk.json, for error messages.</summary>
    private readonly record struct Place(string Path)
    {
        public Place Then(string key) => new($"{Path}.{key}");

        public TEnum Enum<TEnum>(string key, string text)
            where TEnum : struct, Enum
        {
            var allowed = System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()).ToList();
            return allowed.Contains(text, StringComparer.Ordinal)
                ? System.Enum.Parse<TEnum>(text, ignoreCase: true)
                : throw Invalid(key, text, "one of " + string.Join(", ", allowed));
        }

        public T Present<T>(string key, T? section)
            where T : class =>
            section ?? throw new ConfigurationException($"cdk.json: {Path}.{key} is missing.");

        /// <summary>Sections that belong to the other architecture are refused rather than silently ignored.</summary>
        public T? Absent<T>(string key, T? section, Architecture architecture)
            where T : class =>
            section is null
                ? null
                : throw new ConfigurationException(
                    $"cdk.json: {Path}.{key} is set, but the environment's architecture is " +
                    $"'{architecture.ToString().ToLowerInvariant()}'; remove it or change the architecture.");

        public ConfigurationException Invalid(string key, string value, string expected) =>
            new($"cdk.json: {Path}.{key} is '{value}'; expected {expected}.");

        public ConfigurationException Invalid(string key, int value, string expected) =>
            Invalid(key, value.ToString(CultureInfo.InvariantCulture), expected);
    }
}
