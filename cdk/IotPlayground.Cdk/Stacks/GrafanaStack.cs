using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Route53;
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

    public required FargateSize Size { get; init; }

    public required Architecture Architecture { get; init; }

    /// <summary>Required for the ECS architecture, null for the serverless one (CloudWatch only).</summary>
    public EcsDataSources? EcsDataSources { get; init; }

    /// <summary>Required for the serverless architecture: the only log groups Grafana may query.</summary>
    public IReadOnlyList<ILogGroup>? ServerlessLogGroups { get; init; }

    /// <summary>Whether anyone may view the dashboards without signing in (grafana.anonymousViewers in cdk.json).</summary>
    public required bool AnonymousViewers { get; init; }

    public required RetentionDays LogRetention { get; init; }

    public required string RepositoryRoot { get; init; }
}

/// <summary>
/// Grafana on Fargate behind HTTPS. Nothing depends on this stack: destroying it removes Grafana's
/// idle cost, and deploying it again brings it back with its provisioned datasources and dashboards.
/// </summary>
public sealed class GrafanaStack : Stack
{
    public const string ImageDirectory = "apps/grafana";

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
            [AppSettings.Grafana.AnonymousViewers] = props.AnonymousViewers ? "true" : "false",
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

        var cluster = new Cluster(this, "Cluster", new ClusterProps { Vpc = props.Vpc, ContainerInsights = true });
        Service = new HttpsFargateService(this, "Grafana", new HttpsFargateServiceProps
        {
            Cluster = cluster,
            Image = ContainerImage.FromAsset(Path.Combine(props.RepositoryRoot, ImageDirectory)),
            ContainerPort = AppSettings.Grafana.Port,
            Size = props.Size,
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
        });

        if (props.EcsDataSources is { } ecs)
        {
            AllowFromGrafana(ecs.PrometheusSecurityGroup, "Prometheus", AppSettings.Prometheus.Port);
            AllowFromGrafana(ecs.DatabaseSecurityGroup, "Database", ecs.DatabasePort);
        }
        else
        {
            GrantCloudWatchRead(Service.TaskDefinition.TaskRole, props.ServerlessLogGroups!);
        }
    }

    public HttpsFargateService Service { get; }

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
            Peer.SecurityGroupId(Service.Service.Connections.SecurityGroups[0].SecurityGroupId),
            Port.Tcp(port),
            $"Grafana reads {name}");
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
