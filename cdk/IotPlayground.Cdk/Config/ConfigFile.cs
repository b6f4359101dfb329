using System.Text.Json.Serialization;

namespace IotPlayground.Cdk.Config;

/// <summary>
/// The <c>iotPlayground</c> context of cdk.json as written: every member required unless marked optional, any member
/// it does not define refused. <see cref="PlaygroundConfigReader"/> validates it into <see cref="PlaygroundConfig"/>.
/// Sections that already have the shape of a configuration record (an account and region, the frontend, the ECS and
/// serverless sections) are read into that record directly.
/// </summary>
internal sealed record ConfigFile
{
    public required AwsLocation StateBucket { get; init; }

    public required FrontendConfig Frontend { get; init; }

    public required Dictionary<string, EnvironmentSection> Environments { get; init; }
}

/// <summary>One environment as cdk.json writes it: its name is its key, its account and region sit among its settings.</summary>
internal sealed record EnvironmentSection
{
    public required string Architecture { get; init; }

    public required string Account { get; init; }

    public required string Region { get; init; }

    public required IReadOnlyList<string> AvailabilityZones { get; init; }

    public required string Domain { get; init; }

    public required HostedZoneConfig HostedZone { get; init; }

    public required SubdomainConfig Subdomains { get; init; }

    public required string VpcCidr { get; init; }

    public required string Nat { get; init; }

    public required int LogRetentionDays { get; init; }

    public required bool RetainData { get; init; }

    public required GrafanaSection Grafana { get; init; }

    public EcsBackendConfig? Ecs { get; init; }

    public ServerlessConfig? Serverless { get; init; }
}

/// <summary>Grafana's task size sits among its other settings; its architecture is written as Lambda and Docker name it.</summary>
internal sealed record GrafanaSection
{
    public required int Cpu { get; init; }

    public required int MemoryMiB { get; init; }

    public required int DesiredCount { get; init; }

    public required bool AnonymousViewers { get; init; }

    public required string Access { get; init; }

    public required string Capacity { get; init; }

    public required string Architecture { get; init; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(ConfigFile))]
internal sealed partial class ConfigFileJson : JsonSerializerContext;
