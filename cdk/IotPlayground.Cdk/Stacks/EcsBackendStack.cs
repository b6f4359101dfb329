using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.RDS;
using Amazon.CDK.AWS.Route53;
using Amazon.CDK.AWS.ServiceDiscovery;
using IotPlayground.Cdk.Config;
using IotPlayground.Cdk.Constructs;
using IotPlayground.Contract;
using Constructs;
using EcsSecret = Amazon.CDK.AWS.ECS.Secret;
using SecretsManagerSecret = Amazon.CDK.AWS.SecretsManager.Secret;

namespace IotPlayground.Cdk.Stacks;

public sealed class EcsBackendStackProps : StackProps
{
    public required IVpc Vpc { get; init; }

    public required WorkloadPlacement Placement { get; init; }

    public required SubnetSelection DataSubnets { get; init; }

    public required IHostedZone Zone { get; init; }

    public required ICertificate Certificate { get; init; }

    public required string ApiHostName { get; init; }

    /// <summary>The web frontend's origin, e.g. <c>https://app-iot.example.com</c>, allowed by CORS.</summary>
    public required string FrontendOrigin { get; init; }

    /// <summary>A string from configuration: a reference would make this stack depend on Grafana's.</summary>
    public required string GrafanaBaseUrl { get; init; }

    public required EcsBackendConfig Sizes { get; init; }

    public required RetentionDays LogRetention { get; init; }

    public required bool RetainData { get; init; }

    public required string RepositoryRoot { get; init; }
}

/// <summary>
/// The container backend: the API on Fargate behind an HTTPS load balancer, PostgreSQL on RDS in
/// isolated subnets, and Prometheus scraping the API tasks through private DNS.
/// </summary>
public sealed class EcsBackendStack : Stack
{
    public const string ApiDockerfile = "apps/IotPlayground.Api/Dockerfile";
    public const string PrometheusImageDirectory = "apps/prometheus";

    public EcsBackendStack(Construct scope, string id, EcsBackendStackProps props)
        : base(scope, id, props)
    {
        RepositoryAsset.RequireFile(props.RepositoryRoot, ApiDockerfile, $"the API image of {id}");
        RepositoryAsset.RequireFile(props.RepositoryRoot, PrometheusImageDirectory + "/Dockerfile", $"the Prometheus image of {id}");
        var logRemoval = props.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        var cluster = new Cluster(this, "Cluster", new ClusterProps
        {
            Vpc = props.Vpc,
            // Off: its custom metrics (11 for the cluster, 21 per service) would cost more than a task a month, and
            // nothing reads them: the dashboards use Prometheus and PostgreSQL; ECS's own CPU and memory metrics stay.
            ContainerInsights = false,
            DefaultCloudMapNamespace = new CloudMapNamespaceOptions
            {
                Name = AppSettings.ServiceDiscovery.Namespace,
                Type = NamespaceType.DNS_PRIVATE,
                Vpc = props.Vpc,
            },
        });

        Database = new DatabaseInstance(this, "Database", new DatabaseInstanceProps
        {
            // PostgreSQL 15+ on RDS refuses unencrypted connections by default (rds.force_ssl = 1).
            Engine = DatabaseInstanceEngine.Postgres(new PostgresInstanceEngineProps { Version = PostgresEngineVersion.VER_16_4 }),
            InstanceType = new Amazon.CDK.AWS.EC2.InstanceType(props.Sizes.Database.InstanceType),
            Port = AppSettings.Database.Port,
            Vpc = props.Vpc,
            VpcSubnets = props.DataSubnets,
            DatabaseName = AppSettings.Database.Name,
            Credentials = Credentials.FromGeneratedSecret(AppSettings.Database.Username),
            AllocatedStorage = props.Sizes.Database.AllocatedStorageGiB,
            StorageType = StorageType.GP3,
            StorageEncrypted = true,
            PubliclyAccessible = false,
            MultiAz = props.Sizes.Database.MultiAz,
            BackupRetention = Duration.Days(props.Sizes.Database.BackupRetentionDays),
            DeletionProtection = props.RetainData,
            RemovalPolicy = props.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.SNAPSHOT,
            AutoMinorVersionUpgrade = true,
        });
        DatabaseSecret = Database.Secret
            ?? throw new InvalidOperationException("RDS generated credentials must produce a secret.");

        // The API and Grafana each connect as a role of their own (created by the API's migrations); only the
        // migration container ever receives the master secret.
        ApplicationRoleSecret = RoleSecret("ApplicationRoleSecret", AppSettings.Database.ApplicationRole, "the container API");
        GrafanaRoleSecret = RoleSecret("GrafanaRoleSecret", AppSettings.Database.GrafanaRole, "Grafana's PostgreSQL datasource");

        var connectionString =
            $"Host={Database.DbInstanceEndpointAddress};Port={AppSettings.Database.Port};" +
            $"Database={AppSettings.Database.Name}";
        var apiImage = ContainerImage.FromAsset(props.RepositoryRoot, new AssetImageProps
        {
            File = ApiDockerfile,
            Exclude = [.. RepositoryAsset.Exclusions],
        });

        Api = new HttpsFargateService(this, "Api", new HttpsFargateServiceProps
        {
            Cluster = cluster,
            Image = apiImage,
            ContainerPort = AppSettings.ContainerApi.Port,
            Size = props.Sizes.Api,
            HealthCheckPath = AppSettings.ContainerApi.LivenessPath,
            InternalPaths = [AppSettings.ContainerApi.MetricsPath],
            HostName = props.ApiHostName,
            Zone = props.Zone,
            Certificate = props.Certificate,
            Placement = props.Placement,
            LogRetention = props.LogRetention,
            LogRemovalPolicy = logRemoval,
            RetainAccessLogs = props.RetainData,
            Environment = new Dictionary<string, string>
            {
                [AppSettings.ContainerApi.ConnectionString] = connectionString,
                [AppSettings.ContainerApi.MigrateAtStartup] = "false",
                [SettingNames.ContainerApi.GrafanaBaseUrl] = props.GrafanaBaseUrl,
                [SettingNames.ContainerApi.CorsAllowedOrigin] = props.FrontendOrigin,
            },
            Secrets = new Dictionary<string, EcsSecret>
            {
                [AppSettings.ContainerApi.DatabaseUsername] = EcsSecret.FromSecretsManager(ApplicationRoleSecret, "username"),
                [AppSettings.ContainerApi.DatabasePassword] = EcsSecret.FromSecretsManager(ApplicationRoleSecret, "password"),
            },
            CloudMap = new CloudMapOptions
            {
                Name = AppSettings.ServiceDiscovery.ApiServiceName,
                DnsRecordType = DnsRecordType.A,
                DnsTtl = Duration.Seconds(10),
            },
        });
        AddMigration(apiImage, connectionString);
        Database.Connections.AllowDefaultPortFrom(Api.Service, "API tasks");

        Prometheus = CreatePrometheus(cluster, props, logRemoval);
        Api.Service.Connections.AllowFrom(
            Prometheus, Port.Tcp(AppSettings.ContainerApi.Port), $"Prometheus scrapes {AppSettings.ContainerApi.MetricsPath}");

        DataSources = new EcsDataSources(
            PrometheusUrl: $"http://{AppSettings.ServiceDiscovery.HostName(AppSettings.ServiceDiscovery.PrometheusServiceName)}:{AppSettings.Prometheus.Port}",
            PrometheusSecurityGroup: Prometheus.Connections.SecurityGroups[0],
            DatabaseHost: Database.DbInstanceEndpointAddress,
            DatabaseName: AppSettings.Database.Name,
            DatabaseUsername: AppSettings.Database.GrafanaRole,
            DatabaseSecret: GrafanaRoleSecret,
            DatabaseSecurityGroup: Database.Connections.SecurityGroups[0],
            DatabasePort: AppSettings.Database.Port);
    }

    public HttpsFargateService Api { get; }

    /// <summary>The API's load balancer, for Grafana's host-name rule when Grafana shares it.</summary>
    public SharedLoadBalancer SharedLoadBalancer => new(
        Api.LoadBalancer.LoadBalancerArn,
        Api.LoadBalancer.LoadBalancerDnsName,
        Api.LoadBalancer.LoadBalancerCanonicalHostedZoneId,
        Api.LoadBalancer.Connections.SecurityGroups[0].SecurityGroupId,
        Api.Listener.ListenerArn);

    public DatabaseInstance Database { get; }

    /// <summary>The master user's: given to the migration container alone.</summary>
    public Amazon.CDK.AWS.SecretsManager.ISecret DatabaseSecret { get; }

    public SecretsManagerSecret ApplicationRoleSecret { get; }

    public SecretsManagerSecret GrafanaRoleSecret { get; }

    public FargateService Prometheus { get; }

    /// <summary>Endpoints and access for Grafana's datasources.</summary>
    public EcsDataSources DataSources { get; }

    private SecretsManagerSecret RoleSecret(string id, string username, string user) =>
        new(this, id, new Amazon.CDK.AWS.SecretsManager.SecretProps
        {
            Description = $"PostgreSQL role {username}: {user} ({Node.Id})",
            GenerateSecretString = new Amazon.CDK.AWS.SecretsManager.SecretStringGenerator
            {
                SecretStringTemplate = $$"""{"username":"{{username}}"}""",
                GenerateStringKey = "password",
                PasswordLength = 32,
                ExcludePunctuation = true,
            },
        });

    /// <summary>
    /// An init container in the API's task: the same image run with the migrate argument, as the master user,
    /// applies the schema migrations and the roles under their lock, and exits; the API container starts only
    /// after it succeeded. It runs inside the VPC with the image that exists anyway, before every deployment's
    /// first request, with no Lambda function in the VPC and no extra runtime to keep current.
    /// </summary>
    private void AddMigration(ContainerImage image, string connectionString)
    {
        var migration = Api.TaskDefinition.AddContainer("migrate", new ContainerDefinitionOptions
        {
            Image = image,
            Command = [AppSettings.ContainerApi.MigrateCommand],
            Essential = false,
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { StreamPrefix = "Migrate", LogGroup = Api.LogGroup }),
            Environment = new Dictionary<string, string>
            {
                [AppSettings.ContainerApi.ConnectionString] = connectionString,
                [AppSettings.ContainerApi.ApplicationRoleUsername] = AppSettings.Database.ApplicationRole,
                [AppSettings.ContainerApi.GrafanaRoleUsername] = AppSettings.Database.GrafanaRole,
            },
            Secrets = new Dictionary<string, EcsSecret>
            {
                [AppSettings.ContainerApi.DatabaseUsername] = EcsSecret.FromSecretsManager(DatabaseSecret, "username"),
                [AppSettings.ContainerApi.DatabasePassword] = EcsSecret.FromSecretsManager(DatabaseSecret, "password"),
                [AppSettings.ContainerApi.ApplicationRolePassword] = EcsSecret.FromSecretsManager(ApplicationRoleSecret, "password"),
                [AppSettings.ContainerApi.GrafanaRolePassword] = EcsSecret.FromSecretsManager(GrafanaRoleSecret, "password"),
            },
        });
        Api.TaskDefinition.DefaultContainer!.AddContainerDependencies(new ContainerDependency
        {
            Container = migration,
            Condition = ContainerDependencyCondition.SUCCESS,
        });
    }

    private FargateService CreatePrometheus(Cluster cluster, EcsBackendStackProps props, RemovalPolicy logRemoval)
    {
        var size = props.Sizes.Prometheus;
        var task = new FargateTaskDefinition(this, "PrometheusTask", new FargateTaskDefinitionProps
        {
            Cpu = size.Cpu,
            MemoryLimitMiB = size.MemoryMiB,
        });
        var logs = new LogGroup(this, "PrometheusLogs", new LogGroupProps
        {
            Retention = props.LogRetention,
            RemovalPolicy = logRemoval,
        });
        task.AddContainer("prometheus", new ContainerDefinitionOptions
        {
            Image = ContainerImage.FromAsset(Path.Combine(props.RepositoryRoot, PrometheusImageDirectory)),
            PortMappings = [new PortMapping { ContainerPort = AppSettings.Prometheus.Port }],

            // Liveness, not readiness: /-/healthy answers while the process runs, whether or not a target is up.
            HealthCheck = new Amazon.CDK.AWS.ECS.HealthCheck
            {
                Command = ["CMD-SHELL", $"wget -q -O /dev/null http://localhost:{AppSettings.Prometheus.Port}/-/healthy || exit 1"],
                Interval = Duration.Seconds(30),
                Retries = 3,
                StartPeriod = Duration.Seconds(30),
            },
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { StreamPrefix = "Prometheus", LogGroup = logs }),
        });

        // Scraped samples live on task storage: a dev environment accepts losing them on redeploy.
        return new FargateService(this, "Prometheus", new FargateServiceProps
        {
            Cluster = cluster,
            TaskDefinition = task,
            DesiredCount = size.DesiredCount,
            MinHealthyPercent = 100,
            VpcSubnets = props.Placement.Subnets,
            AssignPublicIp = props.Placement.AssignPublicIp,
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
            CloudMapOptions = new CloudMapOptions
            {
                Name = AppSettings.ServiceDiscovery.PrometheusServiceName,
                DnsRecordType = DnsRecordType.A,
                DnsTtl = Duration.Seconds(10),
            },
        });
    }
}
