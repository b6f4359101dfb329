using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ECS.Patterns;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Route53;
using Amazon.CDK.AWS.S3;
using IotPlayground.Cdk.Config;
using Constructs;
using HealthCheck = Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck;
using Protocol = Amazon.CDK.AWS.ElasticLoadBalancingV2.ApplicationProtocol;

namespace IotPlayground.Cdk.Constructs;

public sealed record HttpsFargateServiceProps
{
    public required ICluster Cluster { get; init; }

    public required ContainerImage Image { get; init; }

    public required int ContainerPort { get; init; }

    public required FargateSize Size { get; init; }

    /// <summary>
    /// Path the load balancer probes: a liveness check that answers 200 while the process is healthy, whatever the
    /// state of what it depends on. A probe that follows a database would have every task replaced at its first blip.
    /// </summary>
    public required string HealthCheckPath { get; init; }

    /// <summary>Paths served to the VPC only (e.g. <c>/metrics</c> for Prometheus): the load balancer answers 404.</summary>
    public IReadOnlyList<string> InternalPaths { get; init; } = [];

    /// <summary>Fully qualified host name, e.g. <c>api-iot.example.com</c>; gets an alias record.</summary>
    public required string HostName { get; init; }

    public required IHostedZone Zone { get; init; }

    public required ICertificate Certificate { get; init; }

    public required WorkloadPlacement Placement { get; init; }

    public required RetentionDays LogRetention { get; init; }

    public required RemovalPolicy LogRemovalPolicy { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Injected by ECS from Secrets Manager at task start: never visible in the task definition.</summary>
    public IReadOnlyDictionary<string, Secret> Secrets { get; init; } = new Dictionary<string, Secret>();

    /// <summary>Registers the tasks under a private DNS name (e.g. for Prometheus to scrape them).</summary>
    public CloudMapOptions? CloudMap { get; init; }

    /// <summary>Keep the load balancer's access logs when the stack is destroyed.</summary>
    public required bool RetainAccessLogs { get; init; }

    /// <summary>Run the tasks on Fargate Spot; the cluster must enable the Fargate capacity providers.</summary>
    public bool Spot { get; init; }

    /// <summary>The tasks' architecture; the image must be built for it.</summary>
    public CpuArchitecture CpuArchitecture { get; init; } = CpuArchitecture.X86_64;
}

/// <summary>
/// A Fargate service behind a public HTTPS load balancer on its own host name: TLS 1.2+ only, HTTP
/// redirected to HTTPS, a DNS alias, a health check, logs with a retention, access logs in a bucket of
/// its own, and a deployment that rolls back when new tasks never become healthy.
/// </summary>
public sealed class HttpsFargateService : Construct
{
    /// <summary>How long the load balancer's access logs are kept.</summary>
    public const int AccessLogDays = 30;

    /// <summary>Rule priority of the internal paths' 404: before the default forward.</summary>
    private const int InternalPathsPriority = 1;

    public HttpsFargateService(Construct scope, string id, HttpsFargateServiceProps props)
        : base(scope, id)
    {
        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = props.LogRetention,
            RemovalPolicy = props.LogRemovalPolicy,
        });

        var pattern = new ApplicationLoadBalancedFargateService(this, "Service", new ApplicationLoadBalancedFargateServiceProps
        {
            Cluster = props.Cluster,
            Cpu = props.Size.Cpu,
            MemoryLimitMiB = props.Size.MemoryMiB,
            DesiredCount = props.Size.DesiredCount,
            MinHealthyPercent = 100,
            TaskImageOptions = new ApplicationLoadBalancedTaskImageOptions
            {
                Image = props.Image,
                ContainerName = "app",
                ContainerPort = props.ContainerPort,
                Environment = props.Environment.ToDictionary(),
                Secrets = props.Secrets.ToDictionary(),
                LogDriver = LogDriver.AwsLogs(new AwsLogDriverProps { StreamPrefix = id, LogGroup = LogGroup }),
            },
            RuntimePlatform = new RuntimePlatform
            {
                CpuArchitecture = props.CpuArchitecture,
                OperatingSystemFamily = OperatingSystemFamily.LINUX,
            },
            CapacityProviderStrategies = props.Spot ? [FargateSpot.Strategy] : null,
            TaskSubnets = props.Placement.Subnets,
            AssignPublicIp = props.Placement.AssignPublicIp,
            PublicLoadBalancer = true,
            Protocol = Protocol.HTTPS,
            Certificate = props.Certificate,
            SslPolicy = SslPolicy.RECOMMENDED_TLS,
            RedirectHTTP = true,
            DomainName = props.HostName,
            DomainZone = props.Zone,
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
            CloudMapOptions = props.CloudMap,
            HealthCheckGracePeriod = Duration.Seconds(60),
        });

        pattern.TargetGroup.ConfigureHealthCheck(new HealthCheck
        {
            Path = props.HealthCheckPath,
            HealthyHttpCodes = "200",
            Interval = Duration.Seconds(15),
            HealthyThresholdCount = 2,
            UnhealthyThresholdCount = 3,
        });

        if (props.InternalPaths.Count > 0)
        {
            pattern.Listener.AddAction("InternalPaths", new AddApplicationActionProps
            {
                Priority = InternalPathsPriority,
                Conditions = [ListenerCondition.PathPatterns([.. props.InternalPaths])],
                Action = ListenerAction.FixedResponse(404, new FixedResponseOptions
                {
                    ContentType = "application/problem+json",
                    MessageBody = ContractProblems.RouteNotFound,
                }),
            });
        }

        // ALB access logs support SSE-S3 only. The bucket keeps nothing else, so it logs no access of its own.
        AccessLogs = new Bucket(this, "AccessLogs", new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            LifecycleRules = [new LifecycleRule { Id = "ExpireAccessLogs", Expiration = Duration.Days(AccessLogDays) }],
            RemovalPolicy = props.RetainAccessLogs ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
            AutoDeleteObjects = !props.RetainAccessLogs,
        });
        pattern.LoadBalancer.LogAccessLogs(AccessLogs, id);

        // Dev services redeploy often; the 300 s default only slows every deployment down.
        pattern.TargetGroup.SetAttribute("deregistration_delay.timeout_seconds", "30");
        pattern.LoadBalancer.SetAttribute("routing.http.drop_invalid_header_fields.enabled", "true");

        Service = pattern.Service;
        LoadBalancer = pattern.LoadBalancer;
        Listener = pattern.Listener;
        TaskDefinition = pattern.TaskDefinition;
    }

    public FargateService Service { get; }

    public ApplicationLoadBalancer LoadBalancer { get; }

    /// <summary>The HTTPS listener.</summary>
    public ApplicationListener Listener { get; }

    public FargateTaskDefinition TaskDefinition { get; }

    public ILogGroup LogGroup { get; }

    public Bucket AccessLogs { get; }
}
