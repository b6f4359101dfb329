using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.Apigatewayv2;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.Ecr.Assets;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.Route53;
using Amazon.CDK.AWS.Route53.Targets;
using Amazon.CDK.AWS.ServiceDiscovery;
using Amazon.CDK.AwsApigatewayv2Integrations;
using IotPlayground.Cdk.Config;
using IotPlayground.Cdk.Constructs;
using Constructs;
using EcsSecret = Amazon.CDK.AWS.ECS.Secret;
using SecretsManagerSecret = Amazon.CDK.AWS.SecretsManager.Secret;

namespace IotPlayground.Cdk.Stacks;

public sealed class GrafanaStackProps : StackProps
{
    public required IVpc Vpc { get; init; }

    public required WorkloadPlacement Placement { get; init; }

    public required IHostedZone Zone { get; init; }

    public required ICertificate Certificate { get; init; }

    public required string HostName { get; init; }

    /// <summary>Size, capacity, architecture, access and anonymous viewing, from cdk.json.</summary>
    public required GrafanaConfig Settings { get; init; }

    public required Architecture Architecture { get; init; }

    /// <summary>Required for the ECS architecture, null for the serverless one (CloudWatch only).</summary>
    public EcsDataSources? EcsDataSources { get; init; }

    /// <summary>Required for the serverless architecture: the only log groups Grafana may query.</summary>
    public IReadOnlyList<ILogGroup>? ServerlessLogGroups { get; init; }

    /// <summary>Required when <see cref="GrafanaConfig.Access"/> is <see cref="GrafanaAccess.Shared"/>.</summary>
    public SharedLoadBalancer? BackendLoadBalancer { get; init; }

    public required RetentionDays LogRetention { get; init; }

    public required string RepositoryRoot { get; init; }
}

/// <summary>
/// Grafana on Fargate behind HTTPS: behind a load balancer of its own, a host-name rule on the ECS backend's load
/// balancer, or an API Gateway HTTP API with a VPC link (grafana.access in cdk.json). Nothing depends on this stack:
/// destroying it removes Grafana's idle cost, and deploying it again brings it back with its provisioned
/// datasources and dashboards.
/// </summary>
public sealed class GrafanaStack : Stack
{
    public const string ImageDirectory = "apps/grafana";

    /// <summary>The private DNS namespace in which API Gateway finds the Grafana task (access "gateway").</summary>
    public const string GatewayNamespace = "grafana.internal";

    /// <summary>Requests a second through the HTTP API: a dashboard with a dozen panels, refreshed by a few viewers.</summary>
    public const double GatewayRateLimit = 20;

    public const int GatewayBurstLimit = 50;

    public GrafanaStack(Construct scope, string id, GrafanaStackProps props)
        : base(scope, id, props)
    {
        if (props.Architecture == Architecture.Ecs && props.EcsDataSources is null)
        {
            throw new ArgumentException(
                $"{id}: the ECS architecture's Grafana reads Prometheus and PostgreSQL; pass EcsBackendStack.DataSources.",
                nameof(props));
        }

        if (props.Architecture == Architecture.Serverless && props.ServerlessLogGroups is not { Count: > 0 })
        {
            throw new ArgumentException(
                $"{id}: the serverless architecture's Grafana queries the functions' logs; pass ServerlessStack.GrafanaLogGroups.",
                nameof(props));
        }

        if (props.Settings.Access == GrafanaAccess.Shared && props.BackendLoadBalancer is null)
        {
            throw new ArgumentException($"{id}: access 'shared' adds a rule to the backend's load balancer; pass EcsBackendStack.SharedLoadBalancer.", nameof(props));
        }

        RepositoryAsset.RequireFile(props.RepositoryRoot, ImageDirectory + "/Dockerfile", $"the Grafana image of {id}");

        // Regenerated when the stack comes back; Grafana keeps no state worth a fixed password.
        AdminPassword = new SecretsManagerSecret(this, "AdminPassword", new Amazon.CDK.AWS.SecretsManager.SecretProps
        {
            Description = $"Grafana admin password ({id})",
            GenerateSecretString = new Amazon.CDK.AWS.SecretsManager.SecretStringGenerator
            {
                PasswordLength = 32,
                ExcludePunctuation = true,
            },
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        var environment = new Dictionary<string, string>
        {
            [AppSettings.Grafana.Architecture] = props.Architecture.ToString().ToLowerInvariant(),
            [AppSettings.Grafana.AwsRegion] = Region,
            [AppSettings.Grafana.AnonymousViewers] = props.Settings.AnonymousViewers ? "true" : "false",
        };
        var secrets = new Dictionary<string, EcsSecret>
        {
            [AppSettings.Grafana.AdminPassword] = EcsSecret.FromSecretsManager(AdminPassword),
        };
        if (props.EcsDataSources is { } sources)
        {
            environment[AppSettings.Grafana.PrometheusUrl] = sources.PrometheusUrl;
            environment[AppSettings.Grafana.PostgresHost] = $"{sources.DatabaseHost}:{sources.DatabasePort}";
            environment[AppSettings.Grafana.PostgresDatabase] = sources.DatabaseName;
            environment[AppSettings.Grafana.PostgresUser] = sources.DatabaseUsername;
            secrets[AppSettings.Grafana.PostgresPassword] = EcsSecret.FromSecretsManager(sources.DatabaseSecret, "password");
        }

        var arm64 = props.Settings.CpuArchitecture == "ARM64";
        var image = ContainerImage.FromAsset(Path.Combine(props.RepositoryRoot, ImageDirectory), new AssetImageProps
        {
            Platform = arm64 ? Platform_.LINUX_ARM64 : Platform_.LINUX_AMD64,
        });
        var cluster = new Cluster(this, "Cluster", new ClusterProps
        {
            Vpc = props.Vpc,
            // Off: 32 custom metrics for one service would cost several times the Spot task itself, and no dashboard
            // reads them; ECS's own CPU and memory metrics stay.
            ContainerInsights = false,
            EnableFargateCapacityProviders = true,
        });
        var task = new GrafanaTask(image, environment, secrets, arm64 ? CpuArchitecture.ARM64 : CpuArchitecture.X86_64);
        if (props.Settings.Access == GrafanaAccess.Dedicated)
        {
            var dedicated = new HttpsFargateService(this, "Grafana", new HttpsFargateServiceProps
            {
                Cluster = cluster,
                Image = image,
                ContainerPort = AppSettings.Grafana.Port,
                Size = props.Settings.Size,
                HealthCheckPath = AppSettings.Grafana.HealthPath,
                HostName = props.HostName,
                Zone = props.Zone,
                Certificate = props.Certificate,
                Placement = props.Placement,
                LogRetention = props.LogRetention,
                LogRemovalPolicy = RemovalPolicy.DESTROY,
                RetainAccessLogs = false,
                Environment = environment,
                Secrets = secrets,
                Spot = props.Settings.Capacity == FargateCapacity.Spot,
                CpuArchitecture = task.CpuArchitecture,
            });
            Service = dedicated.Service;
            TaskDefinition = dedicated.TaskDefinition;
        }
        else
        {
            TaskDefinition = CreateTaskDefinition(props, task);
            Service = CreateService(props, cluster);
            if (props.Settings.Access == GrafanaAccess.Shared)
            {
                ServeThroughBackendLoadBalancer(props, props.BackendLoadBalancer!);
            }
            else
            {
                ServeThroughHttpApi(props);
            }
        }

        if (props.EcsDataSources is { } ecs)
        {
            AllowFromGrafana(ecs.PrometheusSecurityGroup, "Prometheus", AppSettings.Prometheus.Port);
            AllowFromGrafana(ecs.DatabaseSecurityGroup, "Database", ecs.DatabasePort);
        }
        else
        {
            GrantCloudWatchRead(TaskDefinition.TaskRole, props.ServerlessLogGroups!);
        }
    }

    /// <summary>Grafana's priority among the backend load balancer's rules: after the backend's own (/metrics is 1).</summary>
    public const int SharedListenerRulePriority = 10;

    public FargateService Service { get; }

    public FargateTaskDefinition TaskDefinition { get; }

    public SecretsManagerSecret AdminPassword { get; }

    /// <summary>
    /// Adds the ingress rule in this stack, to a re-imported copy of the backend's security group.
    /// Calling AllowFrom on the backend's own group would put the rule into the backend's stack and
    /// make it depend on this one, and then this stack could no longer be destroyed alone.
    /// </summary>
    private void AllowFromGrafana(ISecurityGroup target, string name, int port)
    {
        var imported = SecurityGroup.FromSecurityGroupId(this, $"{name}SecurityGroup", target.SecurityGroupId);
        imported.AddIngressRule(
            Peer.SecurityGroupId(Service.Connections.SecurityGroups[0].SecurityGroupId),
            Port.Tcp(port),
            $"Grafana reads {name}");
    }

    private FargateTaskDefinition CreateTaskDefinition(GrafanaStackProps props, GrafanaTask task)
    {
        var definition = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            Cpu = props.Settings.Size.Cpu,
            MemoryLimitMiB = props.Settings.Size.MemoryMiB,
            RuntimePlatform = new RuntimePlatform
            {
                CpuArchitecture = task.CpuArchitecture,
                OperatingSystemFamily = OperatingSystemFamily.LINUX,
            },
        });
        var logs = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = props.LogRetention,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        definition.AddContainer("app", new ContainerDefinitionOptions
        {
            Image = task.Image,
            Environment = task.Environment.ToDictionary(),
            Secrets = task.Secrets.ToDictionary(),
            PortMappings = [new PortMapping { ContainerPort = AppSettings.Grafana.Port }],
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { StreamPrefix = "Grafana", LogGroup = logs }),

            // No load balancer probes this task: ECS does, on Grafana's own health (its SQLite database, no datasource).
            HealthCheck = new Amazon.CDK.AWS.ECS.HealthCheck
            {
                Command = ["CMD-SHELL", $"wget -q -O /dev/null http://localhost:{AppSettings.Grafana.Port}{AppSettings.Grafana.HealthPath} || exit 1"],
                Interval = Duration.Seconds(30),
                Retries = 3,
                StartPeriod = Duration.Seconds(60),
            },
        });
        return definition;
    }

    private FargateService CreateService(GrafanaStackProps props, Cluster cluster) => new(this, "Service", new FargateServiceProps
    {
        Cluster = cluster,
        TaskDefinition = TaskDefinition,
        DesiredCount = props.Settings.Size.DesiredCount,
        MinHealthyPercent = 100,
        VpcSubnets = props.Placement.Subnets,
        AssignPublicIp = props.Placement.AssignPublicIp,
        CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
        CapacityProviderStrategies = props.Settings.Capacity == FargateCapacity.Spot ? [FargateSpot.Strategy] : null,
        CloudMapOptions = props.Settings.Access == GrafanaAccess.Gateway
            ? new CloudMapOptions
            {
                CloudMapNamespace = new PrivateDnsNamespace(this, "Namespace", new PrivateDnsNamespaceProps
                {
                    Name = GatewayNamespace,
                    Vpc = props.Vpc,
                }),
                Name = "grafana",

                // API Gateway's Cloud Map integration needs the task's port: SRV records carry it.
                DnsRecordType = DnsRecordType.SRV,
                DnsTtl = Duration.Seconds(10),
                ContainerPort = AppSettings.Grafana.Port,
            }
            : null,
    });

    /// <summary>
    /// A host-name rule, a target group, the Grafana certificate and an alias record, all in this stack, on the
    /// backend's HTTPS listener: one load balancer for both, and nothing left behind when this stack goes.
    /// </summary>
    private void ServeThroughBackendLoadBalancer(GrafanaStackProps props, SharedLoadBalancer shared)
    {
        var loadBalancerGroup = SecurityGroup.FromSecurityGroupId(this, "BackendLoadBalancerSecurityGroup", shared.SecurityGroupId);
        var listener = ApplicationListener.FromApplicationListenerAttributes(this, "BackendListener", new ApplicationListenerAttributes
        {
            ListenerArn = shared.HttpsListenerArn,
            SecurityGroup = loadBalancerGroup,
        });
        listener.AddCertificates("GrafanaCertificate", [ListenerCertificate.FromCertificateManager(props.Certificate)]);
        var targets = new ApplicationTargetGroup(this, "Targets", new ApplicationTargetGroupProps
        {
            Vpc = props.Vpc,
            Port = AppSettings.Grafana.Port,
            Protocol = ApplicationProtocol.HTTP,
            TargetType = TargetType.IP,
            DeregistrationDelay = Duration.Seconds(30),
            HealthCheck = new Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck
            {
                Path = AppSettings.Grafana.HealthPath,
                HealthyHttpCodes = "200",
                Interval = Duration.Seconds(15),
            },
        });
        Service.AttachToApplicationTargetGroup(targets);
        Service.Connections.AllowFrom(loadBalancerGroup, Port.Tcp(AppSettings.Grafana.Port), "The backend's load balancer forwards Grafana's host");
        _ = new ApplicationListenerRule(this, "HostRule", new ApplicationListenerRuleProps
        {
            Listener = listener,
            Priority = SharedListenerRulePriority,
            Conditions = [ListenerCondition.HostHeaders([props.HostName])],
            TargetGroups = [targets],
        });

        var loadBalancer = ApplicationLoadBalancer.FromApplicationLoadBalancerAttributes(this, "BackendLoadBalancer", new ApplicationLoadBalancerAttributes
        {
            LoadBalancerArn = shared.LoadBalancerArn,
            LoadBalancerDnsName = shared.DnsName,
            LoadBalancerCanonicalHostedZoneId = shared.CanonicalHostedZoneId,
            SecurityGroupId = shared.SecurityGroupId,
        });
        _ = new ARecord(this, "Alias", new ARecordProps
        {
            Zone = props.Zone,
            RecordName = props.HostName,
            Target = RecordTarget.FromAlias(new LoadBalancerTarget(loadBalancer)),
        });
    }

    /// <summary>
    /// An HTTP API on Grafana's host name whose only route goes through a VPC link to the task found in Cloud Map:
    /// billed per request, with no load balancer hour and no public address of its own.
    /// </summary>
    private void ServeThroughHttpApi(GrafanaStackProps props)
    {
        var linkGroup = new SecurityGroup(this, "VpcLinkSecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            Description = "API Gateway VPC link to Grafana",
            AllowAllOutbound = false,
        });
        Service.Connections.AllowFrom(linkGroup, Port.Tcp(AppSettings.Grafana.Port), "API Gateway's VPC link reaches Grafana");
        var link = new VpcLink(this, "VpcLink", new VpcLinkProps
        {
            Vpc = props.Vpc,
            Subnets = props.Placement.Subnets,
            SecurityGroups = [linkGroup],
        });
        var domain = new Amazon.CDK.AWS.Apigatewayv2.DomainName(this, "Domain", new Amazon.CDK.AWS.Apigatewayv2.DomainNameProps
        {
            DomainName = props.HostName,
            Certificate = props.Certificate,
        });
        var api = new HttpApi(this, "Api", new HttpApiProps
        {
            Description = $"Grafana ({Node.Id})",
            CreateDefaultStage = false,
            DisableExecuteApiEndpoint = true,
            DefaultIntegration = new HttpServiceDiscoveryIntegration("Grafana", Service.CloudMapService!, new HttpServiceDiscoveryIntegrationProps
            {
                VpcLink = link,
            }),
        });
        var stage = api.AddStage("Stage", new HttpStageOptions
        {
            StageName = "$default",
            AutoDeploy = true,
            DomainMapping = new DomainMappingOptions { DomainName = domain },
            Throttle = new ThrottleSettings { RateLimit = GatewayRateLimit, BurstLimit = GatewayBurstLimit },
        });
        var accessLogs = new LogGroup(this, "ApiAccessLogs", new LogGroupProps
        {
            Retention = props.LogRetention,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        ((Amazon.CDK.AWS.Apigatewayv2.CfnStage)stage.Node.DefaultChild!).AccessLogSettings = new Amazon.CDK.AWS.Apigatewayv2.CfnStage.AccessLogSettingsProperty
        {
            DestinationArn = accessLogs.LogGroupArn,
            Format = """{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","time":"$context.requestTime","method":"$context.httpMethod","path":"$context.path","status":"$context.status","latencyMs":"$context.responseLatency"}""",
        };
        _ = new ARecord(this, "Alias", new ARecordProps
        {
            Zone = props.Zone,
            RecordName = props.HostName,
            Target = RecordTarget.FromAlias(new ApiGatewayv2DomainProperties(domain.RegionalDomainName, domain.RegionalHostedZoneId)),
        });
    }

    /// <summary>
    /// What the serverless dashboards call, and no more: metric reads, which CloudWatch lets no policy narrow to a
    /// resource; Logs Insights and log reads on the functions' own log groups; and the calls that take no resource
    /// (listing log group names, fetching and stopping a query this role started).
    /// </summary>
    private static void GrantCloudWatchRead(IRole role, IReadOnlyList<ILogGroup> logGroups)
    {
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadMetrics",
            Actions = ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics"],
            Resources = ["*"],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "QueryThisEnvironmentsLogs",
            Actions = ["logs:StartQuery", "logs:GetLogGroupFields", "logs:GetLogEvents"],
            Resources = [.. logGroups.Select(g => g.LogGroupArn)],
        }));
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ListLogGroupsAndFollowQueries",
            Actions = ["logs:DescribeLogGroups", "logs:GetQueryResults", "logs:StopQuery"],
            Resources = ["*"],
        }));
    }
}

/// <summary>What Grafana's container is, whichever way it is served.</summary>
internal sealed record GrafanaTask(
    ContainerImage Image,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, EcsSecret> Secrets,
    CpuArchitecture CpuArchitecture);
