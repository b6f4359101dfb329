using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using IotPlayground.Lambda;

namespace IotPlayground.Cdk.Config;

/// <summary>
/// Reads <see cref="PlaygroundConfig"/> from the <c>iotPlayground</c> context of cdk.json, failing at
/// the first missing or wrong value with its full path, so a typo never reaches CloudFormation.
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
        var root = new Node(node, Root).AsObject();
        var environments = root.Object("environments");
        var names = environments.PropertyNames();
        if (names.Count == 0)
        {
            throw new ConfigurationException($"cdk.json: {environments.Path} defines no environment.");
        }

        List<EnvironmentConfig> all = [.. names.Select(name => ReadEnvironment(name, environments.Object(name)))];
        return new PlaygroundConfig(
            ReadLocation(root.Object("stateBucket")),
            ReadFrontend(root.Object("frontend"), all),
            all);
    }

    private static FrontendConfig ReadFrontend(Node frontend, IReadOnlyList<EnvironmentConfig> environments)
    {
        var defined = string.Join(", ", environments.Select(e => e.Name));
        EnvironmentConfig Defined(string key, string name) =>
            environments.FirstOrDefault(e => e.Name == name)
            ?? throw frontend.Invalid(key, name, $"an environment of context.{PlaygroundConfig.ContextKey}.environments: {defined}");

        var host = Defined("environment", frontend.String("environment"));
        var backendNames = frontend.StringArray("backends");
        if (backendNames.Count == 0 || backendNames.Distinct(StringComparer.Ordinal).Count() != backendNames.Count)
        {
            throw frontend.Invalid("backends", string.Join(",", backendNames), $"distinct environments among: {defined}");
        }

        var backends = backendNames.Select(name => Defined("backends", name)).ToList();

        // The page tells its backends apart by architecture (its backend ids are "ecs" and "serverless").
        if (backends.GroupBy(b => b.Architecture).FirstOrDefault(g => g.Count() > 1) is { } twins)
        {
            throw frontend.Invalid(
                "backends",
                string.Join(",", twins.Select(b => b.Name)),
                "at most one environment per architecture");
        }

        // A backend whose API allows another origin by CORS would refuse every call from the page.
        if (backends.FirstOrDefault(b => b.FrontendOrigin != host.FrontendOrigin) is { } stranger)
        {
            throw new ConfigurationException(
                $"cdk.json: {frontend.Path}.backends lists '{stranger.Name}', whose API allows the origin " +
                $"{stranger.FrontendOrigin}, but the page is served from {host.FrontendOrigin} by '{host.Name}'. " +
                "Give both environments the same domain and subdomains.frontend.");
        }

        return new FrontendConfig(host.Name, backendNames);
    }

    private static AwsLocation ReadLocation(Node node)
    {
        var account = node.String("account");
        if (account.Length != 12 || !account.All(char.IsAsciiDigit))
        {
            throw node.Invalid("account", account, "a 12-digit AWS account id");
        }

        return new AwsLocation(account, node.String("region"));
    }

    private static EnvironmentConfig ReadEnvironment(string name, Node env)
    {
        var architecture = env.Enum<Architecture>("architecture");
        var domain = env.String("domain");
        var zone = env.Object("hostedZone");
        var hostedZone = new HostedZoneConfig(zone.String("id"), zone.String("name"));
        if (domain != hostedZone.Name && !domain.EndsWith("." + hostedZone.Name, StringComparison.Ordinal))
        {
            throw env.Invalid("domain", domain, $"the hosted zone's name '{hostedZone.Name}' or a subdomain of it");
        }

        var subdomains = env.Object("subdomains");
        var availabilityZones = env.StringArray("availabilityZones");
        if (availabilityZones.Count < 2)
        {
            throw env.Invalid("availabilityZones", string.Join(",", availabilityZones), "two availability zones of the region");
        }

        return new EnvironmentConfig
        {
            Name = name,
            Architecture = architecture,
            Location = ReadLocation(env),
            AvailabilityZones = availabilityZones,
            Domain = domain,
            HostedZone = hostedZone,
            Subdomains = new SubdomainConfig(
                subdomains.String("api"), subdomains.String("grafana"), subdomains.String("frontend")),
            VpcCidr = ReadCidr(env, "vpcCidr"),
            Nat = env.Enum<NatMode>("nat"),
            LogRetentionDays = ReadLogRetention(env, "logRetentionDays"),
            RetainData = env.Bool("retainData"),
            Grafana = ReadGrafana(env.Object("grafana"), architecture),
            Ecs = architecture == Architecture.Ecs ? ReadEcs(env.Object("ecs")) : env.Absent<EcsBackendConfig>("ecs", architecture),
            Serverless = architecture == Architecture.Serverless
                ? ReadServerless(env.Object("serverless"))
                : env.Absent<ServerlessConfig>("serverless", architecture),
        };
    }

    private static EcsBackendConfig ReadEcs(Node ecs)
    {
        var database = ecs.Object("database");
        return new EcsBackendConfig(
            ReadFargateSize(ecs.Object("api")),
            ReadFargateSize(ecs.Object("prometheus")),
            new DatabaseConfig(
                database.String("instanceType"),
                database.Int("allocatedStorageGiB"),
                database.Int("backupRetentionDays"),
                database.Bool("multiAz")));
    }

    private static ServerlessConfig ReadServerless(Node serverless) => new(
        ReadLambdaMemory(serverless, "lambdaMemoryMiB"),
        serverless.OneOf("lambdaArchitecture", LambdaPublish.Architectures),
        serverless.Int("lambdaTimeoutSeconds"),
        serverless.Double("apiRateLimit"),
        serverless.Int("apiBurstLimit"));

    private static int ReadLambdaMemory(Node node, string key)
    {
        var mebibytes = node.Int(key);
        return mebibytes is >= 128 and <= 10_240
            ? mebibytes
            : throw node.Invalid(key, mebibytes.ToString(CultureInfo.InvariantCulture), "Lambda's memory range, 128 to 10240 (MiB)");
    }

    private static int ReadLogRetention(Node node, string key)
    {
        var days = node.Int(key);
        return LogRetention.IsSupported(days)
            ? days
            : throw node.Invalid(
                key,
                days.ToString(CultureInfo.InvariantCulture),
                "a CloudWatch Logs retention: " + string.Join(", ", LogRetention.SupportedDays));
    }

    private static GrafanaConfig ReadGrafana(Node grafana, Architecture architecture)
    {
        var access = grafana.Enum<GrafanaAccess>("access");
        if (access == GrafanaAccess.Shared && architecture != Architecture.Ecs)
        {
            throw grafana.Invalid("access", "shared", "dedicated or gateway: only the ECS architecture has a load balancer to share");
        }

        var cpuArchitecture = grafana.String("architecture");
        return new GrafanaConfig(
            ReadFargateSize(grafana),
            grafana.Bool("anonymousViewers"),
            access,
            grafana.Enum<FargateCapacity>("capacity"),
            cpuArchitecture switch
            {
                "x86_64" => "X86_64",
                "arm64" => "ARM64",
                _ => throw grafana.Invalid("architecture", cpuArchitecture, "x86_64 or arm64"),
            });
    }

    private static FargateSize ReadFargateSize(Node node) =>
        new(node.Int("cpu"), node.Int("memoryMiB"), node.Int("desiredCount"));

    private static string ReadCidr(Node node, string key)
    {
        var value = node.String(key);
        return IPNetwork.TryParse(value, out var network) && network.PrefixLength is >= 16 and <= 21
            ? value
            : throw node.Invalid(key, value, "an IPv4 CIDR block from /16 to /21 (room for six /24 subnets), e.g. 10.0.0.0/16");
    }

    /// <summary>A JSON value with its path in cdk.json, for error messages.</summary>
    private readonly record struct Node(JsonNode? Value, string Path)
    {
        public Node AsObject() => Value is JsonObject
            ? this
            : throw new ConfigurationException(Value is null
                ? $"cdk.json: {Path} is missing."
                : $"cdk.json: {Path} must be an object.");

        public IReadOnlyList<string> PropertyNames() => [.. ((JsonObject)Value!).Select(p => p.Key)];

        public Node Object(string key) => Child(key).AsObject();

        public string String(string key) => Scalar<string>(key, "a non-empty string") is { Length: > 0 } text
            ? text
            : throw Invalid(key, string.Empty, "a non-empty string");

        public int Int(string key)
        {
            var number = Scalar<int>(key, "an integer");
            return number > 0
                ? number
                : throw Invalid(key, number.ToString(CultureInfo.InvariantCulture), "a positive integer");
        }

        public double Double(string key)
        {
            var number = Scalar<double>(key, "a number");
            return number > 0
                ? number
                : throw Invalid(key, number.ToString(CultureInfo.InvariantCulture), "a positive number");
        }

        public bool Bool(string key) => Scalar<bool>(key, "true or false");

        public string OneOf(string key, IReadOnlyList<string> allowed)
        {
            var text = String(key);
            return allowed.Contains(text, StringComparer.Ordinal) ? text : throw Invalid(key, text, "one of " + string.Join(", ", allowed));
        }

        public TEnum Enum<TEnum>(string key)
            where TEnum : struct, Enum
        {
            var text = String(key);
            var allowed = System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()).ToList();
            return allowed.Contains(text, StringComparer.Ordinal)
                ? System.Enum.Parse<TEnum>(text, ignoreCase: true)
                : throw Invalid(key, text, "one of " + string.Join(", ", allowed));
        }

        public IReadOnlyList<string> StringArray(string key)
        {
            var child = Child(key);
            return child.Value is JsonArray array && array.All(i => i is JsonValue v && v.TryGetValue<string>(out _))
                ? [.. array.Select(i => i!.GetValue<string>())]
                : throw Missing(key, child, "an array of strings");
        }

        /// <summary>Sections that belong to the other architecture are refused rather than silently ignored.</summary>
        public T? Absent<T>(string key, Architecture architecture)
            where T : class =>
            Child(key).Value is null
                ? null
                : throw new ConfigurationException(
                    $"cdk.json: {Path}.{key} is set, but the environment's architecture is " +
                    $"'{architecture.ToString().ToLowerInvariant()}'; remove it or change the architecture.");

        public ConfigurationException Invalid(string key, string value, string expected) =>
            new($"cdk.json: {Path}.{key} is '{value}'; expected {expected}.");

        private T Scalar<T>(string key, string expected)
        {
            var child = Child(key);
            return child.Value is JsonValue value && value.TryGetValue<T>(out var result)
                ? result
                : throw Missing(key, child, expected);
        }

        private Node Child(string key) => new(((JsonObject)Value!)[key], $"{Path}.{key}");

        private static ConfigurationException Missing(string key, Node child, string expected) => new(
            child.Value is null
                ? $"cdk.json: {child.Path} is missing; expected {expected}."
                : $"cdk.json: {child.Path} is {child.Value.ToJsonString()}; expected {expected}.");
    }
}
