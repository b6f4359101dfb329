using Amazon.CDK;
using IotPlayground.Cdk.Config;
using IotPlayground.Cdk.Constructs;
using IotPlayground.Cdk.Stacks;

namespace IotPlayground.Cdk;

/// <summary>The stacks of one environment; the backend stack present depends on its architecture.</summary>
public sealed record EnvironmentStacks(
    EnvironmentConfig Config,
    DnsStack Dns,
    NetworkStack Network,
    EcsBackendStack? EcsBackend,
    ServerlessStack? Serverless,
    GrafanaStack Grafana,
    FrontendStack? Frontend)
{
    public IEnumerable<Stack> All =>
        new Stack?[] { Dns, Network, EcsBackend, Serverless, Grafana, Frontend }.OfType<Stack>();
}

public sealed record PlaygroundStacks(StateBucketStack StateBucket, IReadOnlyList<EnvironmentStacks> Environments)
{
    public IEnumerable<Stack> All => Environments.SelectMany(e => e.All).Prepend(StateBucket);
}

/// <summary>
/// Creates every stack and passes references between them. Program.cs and the tests both call this,
/// so the tests check exactly the app that is deployed.
/// </summary>
public static class PlaygroundApp
{
    public const string StateBucketStackName = "StateBucket";

    public static class Components
    {
        public const string Dns = "Dns";
        public const string Network = "Network";
        public const string EcsBackend = "EcsBackend";
        public const string Serverless = "Serverless";
        public const string Grafana = "Grafana";
        public const string Frontend = "Frontend";
    }

    public static PlaygroundStacks Compose(
        App app,
        PlaygroundConfig config,
        IReadOnlyList<EnvironmentConfig> environments,
        string repositoryRoot)
    {
        Tags.Of(app).Add("project", "iot-playground");
        Aspects.Of(app).Add(new SupportedLambdaRuntimes());

        var stateBucket = new StateBucketStack(app, StateBucketStackName, new StackProps
        {
            Env = ToEnvironment(config.StateBucket),
            Description = "IoT Playground: shared state bucket and lock table (retained)",
        });

        return new PlaygroundStacks(
            stateBucket,
            [.. environments.Select(e => ComposeEnvironment(app, e, BackendsOfThePage(config, e), repositoryRoot))]);
    }

    /// <summary>The backends the page offers when <paramref name="environment"/> hosts it; null when it does not.</summary>
    private static IReadOnlyList<WebBackend>? BackendsOfThePage(PlaygroundConfig config, EnvironmentConfig environment) =>
        config.Frontend.Environment == environment.Name
            ? [.. config.Frontend.Backends.Select(name => ToWebBackend(config.Environment(name)))]
            : null;

    /// <summary>Ids and names as the page and its local server (apps/web/serve.mjs) know them.</summary>
    private static WebBackend ToWebBackend(EnvironmentConfig backend) => backend.Architecture switch
    {
        Architecture.Ecs => new WebBackend("ecs", "Container (ECS)", backend.ApiBaseUrl),
        Architecture.Serverless => new WebBackend("serverless", "Serverless", backend.ApiBaseUrl),
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend.Architecture, "Unknown architecture."),
    };

    private static EnvironmentStacks ComposeEnvironment(
        App app,
        EnvironmentConfig config,
        IReadOnlyList<WebBackend>? pageBackends,
        string repositoryRoot)
    {
        var env = ToEnvironment(config.Location);
        var logRetention = LogRetention.ToRetentionDays(config.LogRetentionDays);
        string Describe(string what) => $"IoT Playground {config.Name}: {what}";

        var dns = new DnsStack(app, config.StackName(Components.Dns), new DnsStackProps
        {
            Env = env,
            Description = Describe("hosted zone and certificates"),
            HostedZone = config.HostedZone,
            ApiHostName = config.ApiHostName,
            GrafanaHostName = config.GrafanaHostName,
        });

        var network = new NetworkStack(app, config.StackName(Components.Network), new NetworkStackProps
        {
            Env = env,
            Description = Describe("VPC"),
            VpcCidr = config.VpcCidr,
            AvailabilityZones = config.AvailabilityZones,
            Nat = config.Nat,
            LogRetention = logRetention,
        });

        var ecsBackend = config.Ecs is { } ecs
            ? new EcsBackendStack(app, config.StackName(Components.EcsBackend), new EcsBackendStackProps
            {
                Env = env,
                Description = Describe("container API, PostgreSQL, Prometheus"),
                Vpc = network.Vpc,
                Placement = network.Placement,
                DataSubnets = network.DataSubnets,
                Zone = dns.Zone,
                Certificate = dns.ApiCertificate,
                ApiHostName = config.ApiHostName,
                FrontendOrigin = config.FrontendOrigin,
                GrafanaBaseUrl = config.GrafanaBaseUrl,
                Sizes = ecs,
                LogRetention = logRetention,
                RetainData = config.RetainData,
                RepositoryRoot = repositoryRoot,
            })
            : null;

        var serverless = config.Serverless is { } sizes
            ? new ServerlessStack(app, config.StackName(Components.Serverless), new ServerlessStackProps
            {
                Env = env,
                Description = Describe("Lambda functions, DynamoDB tables, REST API"),
                Zone = dns.Zone,
                Certificate = dns.ApiCertificate,
                ApiHostName = config.ApiHostName,
                FrontendOrigin = config.FrontendOrigin,
                GrafanaBaseUrl = config.GrafanaBaseUrl,
                Sizes = sizes,
                LogRetention = logRetention,
                RetainData = config.RetainData,
                RepositoryRoot = repositoryRoot,
            })
            : null;

        var grafana = new GrafanaStack(app, config.StackName(Components.Grafana), new GrafanaStackProps
        {
            Env = env,
            Description = Describe("Grafana (safe to destroy alone)"),
            Vpc = network.Vpc,
            Placement = network.Placement,
            Zone = dns.Zone,
            Certificate = dns.GrafanaCertificate,
            HostName = config.GrafanaHostName,
            Settings = config.Grafana,
            BackendLoadBalancer = config.Grafana.Access == GrafanaAccess.Shared ? ecsBackend?.SharedLoadBalancer : null,
            Architecture = config.Architecture,
            EcsDataSources = ecsBackend?.DataSources,
            ServerlessLogGroups = serverless?.GrafanaLogGroups,
            LogRetention = logRetention,
            RepositoryRoot = repositoryRoot,
        });

        // Its own stack in us-east-1, with its own view of the hosted zone: it needs nothing from the
        // environment's other stacks, and none of them needs it.
        var frontend = pageBackends is null
            ? null
            : new FrontendStack(app, config.StackName(Components.Frontend), new FrontendStackProps
            {
                Env = new Amazon.CDK.Environment { Account = config.Location.Account, Region = FrontendStack.CertificateRegion },
                Description = Describe("web page on CloudFront"),
                HostedZone = config.HostedZone,
                HostName = config.FrontendHostName,
                Backends = pageBackends,
                LogRetention = logRetention,
                RepositoryRoot = repositoryRoot,
            });

        var stacks = new EnvironmentStacks(config, dns, network, ecsBackend, serverless, grafana, frontend);
        foreach (var stack in stacks.All)
        {
            Tags.Of(stack).Add("environment", config.Name);
        }

        return stacks;
    }

    private static Amazon.CDK.Environment ToEnvironment(AwsLocation location) =>
        new() { Account = location.Account, Region = location.Region };
}
