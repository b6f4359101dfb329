using Amazon.CDK;
using IotPlayground.Cdk.Config;
using IotPlayground.Cdk.Stacks;

namespace IotPlayground.Cdk;

/// <summary>The stacks of one environment; the backend stack present depends on its architecture.</summary>
public sealed record EnvironmentStacks(
    EnvironmentConfig Config,
    DnsStack Dns,
    NetworkStack Network,
    EcsBackendStack? EcsBackend,
    ServerlessStack? Serverless,
    GrafanaStack Grafana)
{
    public IEnumerable<Stack> All =>
        new Stack?[] { Dns, Network, EcsBackend, Serverless, Grafana }.OfType<Stack>();
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
    }

    public static PlaygroundStacks Compose(
        App app,
        PlaygroundConfig config,
        IReadOnlyList<EnvironmentConfig> environments,
        string repositoryRoot)
    {
        Tags.Of(app).Add("project", "iot-playground");

        var stateBucket = new StateBucketStack(app, StateBucketStackName, new StackProps
        {
            Env = ToEnvironment(config.StateBucket),
            Description = "IoT Playground: shared state bucket and lock table (retained)",
        });

        return new PlaygroundStacks(stateBucket, [.. environments.Select(e => ComposeEnvironment(app, e, repositoryRoot))]);
    }

    private static EnvironmentStacks ComposeEnvironment(App app, EnvironmentConfig config, string repositoryRoot)
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
            FrontendHostName = config.IssuesFrontendCertificate ? config.FrontendHostName : null,
        });

        var network = new NetworkStack(app, config.StackName(Components.Network), new NetworkStackProps
        {
            Env = env,
            Description = Describe("VPC"),
            VpcCidr = config.VpcCidr,
            AvailabilityZones = config.AvailabilityZones,
            Nat = config.Nat,
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
            Size = config.Grafana,
            Architecture = config.Architecture,
            EcsDataSources = ecsBackend?.DataSources,
            LogRetention = logRetention,
            RepositoryRoot = repositoryRoot,
        });

        var stacks = new EnvironmentStacks(config, dns, network, ecsBackend, serverless, grafana);
        foreach (var stack in stacks.All)
        {
            Tags.Of(stack).Add("environment", config.Name);
        }

        return stacks;
    }

    private static Amazon.CDK.Environment ToEnvironment(AwsLocation location) =>
        new() { Account = location.Account, Region = location.Region };
}
