namespace IotPlayground.Cdk.Config;

/// <summary>Everything the app reads from cdk.json, validated once at start.</summary>
public sealed record PlaygroundConfig(
    AwsLocation StateBucket,
    FrontendConfig Frontend,
    IReadOnlyList<EnvironmentConfig> Environments)
{
    /// <summary>The cdk.json context key that holds this configuration.</summary>
    public const string ContextKey = "iotPlayground";

    /// <summary>The context key (<c>-c env=NAME</c>) that selects one environment.</summary>
    public const string EnvironmentSelectorKey = "env";

    /// <summary>The environments to synthesize: the one named, or all when none is named.</summary>
    public IReadOnlyList<EnvironmentConfig> Select(string? environmentName)
    {
        if (string.IsNullOrWhiteSpace(environmentName))
        {
            return Environments;
        }

        var selected = Environments.FirstOrDefault(e => e.Name == environmentName);
        return selected is not null
            ? [selected]
            : throw new ConfigurationException(
                $"Unknown environment '{environmentName}' (-c {EnvironmentSelectorKey}={environmentName}). " +
                $"cdk.json defines: {string.Join(", ", Environments.Select(e => e.Name))}.");
    }

    public EnvironmentConfig Environment(string name) => Environments.Single(e => e.Name == name);
}

/// <summary>
/// The one web page of the playground: hosted by one environment (its <c>&lt;env&gt;-Frontend</c> stack),
/// offering the APIs of the listed environments as the backends the user switches between.
/// </summary>
public sealed record FrontendConfig(string Environment, IReadOnlyList<string> Backends);

/// <summary>An account and region pair.</summary>
public sealed record AwsLocation(string Account, string Region);

public enum Architecture
{
    /// <summary>ECS Fargate + RDS PostgreSQL + ALB + Prometheus.</summary>
    Ecs,

    /// <summary>Lambda + DynamoDB + API Gateway + CloudWatch.</summary>
    Serverless,
}

/// <summary>How private subnets reach the internet: a cost choice.</summary>
public enum NatMode
{
    /// <summary>Managed NAT gateway: most robust, the highest idle cost.</summary>
    Gateway,

    /// <summary>One small EC2 NAT instance: cheap, not highly available.</summary>
    Instance,

    /// <summary>No NAT: workloads run in public subnets with public IPs, ingress still limited to the ALB.</summary>
    None,
}

/// <summary>One deployable environment, e.g. <c>dev</c> or <c>serverless-dev</c>.</summary>
public sealed record EnvironmentConfig
{
    public required string Name { get; init; }

    public required Architecture Architecture { get; init; }

    public required AwsLocation Location { get; init; }

    /// <summary>Fixed here so that synth never looks availability zones up in the account.</summary>
    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    public required string Domain { get; init; }

    public required HostedZoneConfig HostedZone { get; init; }

    public required SubdomainConfig Subdomains { get; init; }

    public required string VpcCidr { get; init; }

    public required NatMode Nat { get; init; }

    public required int LogRetentionDays { get; init; }

    /// <summary>Keep databases and tables when their stack is destroyed.</summary>
    public required bool RetainData { get; init; }

    public required GrafanaConfig Grafana { get; init; }

    /// <summary>Present exactly when <see cref="Architecture"/> is <see cref="Architecture.Ecs"/>.</summary>
    public EcsBackendConfig? Ecs { get; init; }

    /// <summary>Present exactly when <see cref="Architecture"/> is <see cref="Architecture.Serverless"/>.</summary>
    public ServerlessConfig? Serverless { get; init; }

    public string ApiHostName => $"{Subdomains.Api}.{Domain}";

    public string ApiBaseUrl => $"https://{ApiHostName}";

    public string GrafanaHostName => $"{Subdomains.Grafana}.{Domain}";

    public string FrontendHostName => $"{Subdomains.Frontend}.{Domain}";

    /// <summary>The page's origin, which the environment's API allows by CORS.</summary>
    public string FrontendOrigin => $"https://{FrontendHostName}";

    /// <summary>
    /// A plain string computed from configuration, never a reference to the Grafana stack, so that
    /// nothing depends on that stack and it can be destroyed alone.
    /// </summary>
    public string GrafanaBaseUrl => $"https://{GrafanaHostName}";

    /// <summary>Stack names are part of the deployed contract (workflows and operators use them).</summary>
    public string StackName(string component) => $"{Name}-{component}";
}

public sealed record HostedZoneConfig(string Id, string Name);

public sealed record SubdomainConfig(string Api, string Grafana, string Frontend);

/// <summary>Fargate task size; <see cref="Cpu"/> in CPU units (1024 = 1 vCPU).</summary>
public sealed record FargateSize(int Cpu, int MemoryMiB, int DesiredCount);

/// <param name="AnonymousViewers">
/// Whether anyone may view the dashboards without signing in. Safe when on: a viewer can run any query Grafana's
/// datasources allow, and they allow reading this environment's data only (a SELECT-only PostgreSQL role, CloudWatch
/// logs of this environment's functions).
/// </param>
/// <param name="Access">How Grafana is reached from the internet.</param>
/// <param name="Capacity">Fargate capacity of its task: Spot (a task that AWS may stop and replace) or on-demand.</param>
/// <param name="CpuArchitecture">ECS's name of the task's architecture: <c>X86_64</c> or <c>ARM64</c>.</param>
public sealed record GrafanaConfig(
    FargateSize Size,
    bool AnonymousViewers,
    GrafanaAccess Access,
    FargateCapacity Capacity,
    string CpuArchitecture);

public enum GrafanaAccess
{
    /// <summary>Its own internet-facing load balancer: the original layout, and the one that costs most idle.</summary>
    Dedicated,

    /// <summary>A host-name rule on the ECS backend's load balancer (ECS environments only).</summary>
    Shared,

    /// <summary>An API Gateway HTTP API with a VPC link to the task: nothing billed by the hour.</summary>
    Gateway,
}

public enum FargateCapacity
{
    OnDemand,
    Spot,
}

public sealed record EcsBackendConfig(FargateSize Api, FargateSize Prometheus, DatabaseConfig Database);

public sealed record DatabaseConfig(
    string InstanceType,
    int AllocatedStorageGiB,
    int BackupRetentionDays,
    bool MultiAz);

/// <param name="LambdaArchitecture">Lambda's name of the functions' architecture: <c>x86_64</c> or <c>arm64</c>.</param>
public sealed record ServerlessConfig(
    int LambdaMemoryMiB,
    string LambdaArchitecture,
    int LambdaTimeoutSeconds,
    double ApiRateLimit,
    int ApiBurstLimit);
