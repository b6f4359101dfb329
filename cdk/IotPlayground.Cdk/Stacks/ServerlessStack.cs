using Amazon.CDK;
using Amazon.CDK.AWS.APIGateway;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Route53;
using Amazon.CDK.AWS.Route53.Targets;
using IotPlayground.Cdk.Config;
using IotPlayground.Cdk.Constructs;
using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using IotPlayground.DynamoDb;
using Constructs;
using DynamoAttribute = Amazon.CDK.AWS.DynamoDB.Attribute;
using LambdaFunctionTarget = Amazon.CDK.AWS.Events.Targets.LambdaFunction;

namespace IotPlayground.Cdk.Stacks;

public sealed class ServerlessStackProps : StackProps
{
    public required IHostedZone Zone { get; init; }

    public required ICertificate Certificate { get; init; }

    public required string ApiHostName { get; init; }

    /// <summary>The web frontend's origin, e.g. <c>https://app-iot.example.com</c>, allowed by CORS.</summary>
    public required string FrontendOrigin { get; init; }

    /// <summary>A string from configuration: a reference would make this stack depend on Grafana's.</summary>
    public required string GrafanaBaseUrl { get; init; }

    public required ServerlessConfig Sizes { get; init; }

    public required RetentionDays LogRetention { get; init; }

    public required bool RetainData { get; init; }

    public required string RepositoryRoot { get; init; }
}

/// <summary>
/// The serverless backend: the run and sensor functions behind a REST API on the environment's API
/// host name, the DynamoDB tables they own, and the schedule that sweeps overdue runs.
/// </summary>
public sealed class ServerlessStack : Stack
{
    public const string RunApiProject = "lambdas/IotPlayground.RunApi/IotPlayground.RunApi.csproj";
    public const string SensorApiProject = "lambdas/IotPlayground.SensorApi/IotPlayground.SensorApi.csproj";
    public const string StageName = "live";

    public ServerlessStack(Construct scope, string id, ServerlessStackProps props)
        : base(scope, id, props)
    {
        var dataRemoval = props.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        RunsTable = CreateTable("RunsTable", DynamoDbSchema.Runs.PartitionKey, sortKey: null, props.RetainData);
        RunsTable.AddGlobalSecondaryIndex(Index(
            DynamoDbSchema.Runs.ByStartIndex, DynamoDbSchema.Runs.ByStartPartitionKey, DynamoDbSchema.Runs.StartSortKey));
        RunsTable.AddGlobalSecondaryIndex(Index(
            DynamoDbSchema.Runs.ByStatusIndex, DynamoDbSchema.Runs.ByStatusPartitionKey, DynamoDbSchema.Runs.StartSortKey));
        SensorDataTable = CreateTable(
            "SensorDataTable", DynamoDbSchema.SensorData.PartitionKey, DynamoDbSchema.SensorData.SortKey, props.RetainData);

        RunApi = Function(ApiFunctions.RunApi, RunApiProject, "Runs: start, finish, list, health", props, dataRemoval, new()
        {
            [SettingNames.Lambda.RunsTable] = RunsTable.TableName,
        });
        // A start is one TransactWriteItems (the slot's Update, the run's Put), authorized as UpdateItem and PutItem.
        AllowItems(RunApi, RunsTable, "GetItem", "BatchGetItem", "PutItem", "UpdateItem");
        AllowQueries(RunApi, RunsTable, DynamoDbSchema.Runs.ByStatusIndex, DynamoDbSchema.Runs.ByStartIndex);

        // A function has no background thread: this schedule closes abandoned runs as the container API's sweep does.
        // The run function knows the default scheduled event (source aws.events), so the target sends no input of its own.
        OverdueRunSweep = new Rule(this, "OverdueRunSweep", new RuleProps
        {
            Description = "Ends runs past their deadline and frees their quota slots",
            Schedule = Schedule.Rate(Duration.Minutes(1)),
            Targets = [new LambdaFunctionTarget(RunApi.Function)],
        });

        SensorApi = Function(ApiFunctions.SensorApi, SensorApiProject, "Sensor readings: ingest and query", props, dataRemoval, new()
        {
            [SettingNames.Lambda.RunsTable] = RunsTable.TableName,
            [SettingNames.Lambda.SensorDataTable] = SensorDataTable.TableName,
        });
        // A batch of readings is one TransactWriteItems of Puts: IAM authorizes each Put as PutItem.
        AllowItems(SensorApi, SensorDataTable, "PutItem");
        AllowQueries(SensorApi, SensorDataTable);

        // A reading names its run (read), and one for a run past its deadline closes that run and frees its quota slot.
        AllowItems(SensorApi, RunsTable, "GetItem", "UpdateItem");

        Api = CreateApi(props, dataRemoval);
        ApiAlias = new ARecord(this, "ApiAlias", new ARecordProps
        {
            Zone = props.Zone,
            RecordName = props.ApiHostName,
            Target = RecordTarget.FromAlias(new ApiGateway(Api)),
        });

        CreateAlarms();
    }

    public Table RunsTable { get; }

    public Table SensorDataTable { get; }

    public DotNetLambda RunApi { get; }

    public DotNetLambda SensorApi { get; }

    /// <summary>The log groups the serverless dashboards query with Logs Insights: Grafana may read these alone.</summary>
    public IReadOnlyList<ILogGroup> GrafanaLogGroups => [RunApi.LogGroup, SensorApi.LogGroup];

    public Rule OverdueRunSweep { get; }

    public RestApi Api { get; }

    public ARecord ApiAlias { get; }

    /// <summary>
    /// Least privilege, written out: the item actions a function's stores call, on the table alone. The CDK's
    /// GrantReadWriteData would add every write action and every index of the table.
    /// </summary>
    private static void AllowItems(DotNetLambda function, Table table, params string[] actions) =>
        function.Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = [.. actions.Select(a => "dynamodb:" + a)],
            Resources = [table.TableArn],
        }));

    /// <summary>Query on the table and on the named indexes only.</summary>
    private static void AllowQueries(DotNetLambda function, Table table, params string[] indexes) =>
        function.Function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["dynamodb:Query"],
            Resources = [table.TableArn, .. indexes.Select(index => $"{table.TableArn}/index/{index}")],
        }));

    private static GlobalSecondaryIndexProps Index(string name, string partitionKey, string sortKey) => new()
    {
        IndexName = name,
        PartitionKey = new DynamoAttribute { Name = partitionKey, Type = AttributeType.STRING },
        SortKey = new DynamoAttribute { Name = sortKey, Type = AttributeType.STRING },
        ProjectionType = ProjectionType.ALL,
    };

    private Table CreateTable(string id, string partitionKey, string? sortKey, bool retain) => new(this, id, new TableProps
    {
        PartitionKey = new DynamoAttribute { Name = partitionKey, Type = AttributeType.STRING },
        SortKey = sortKey is null ? null : new DynamoAttribute { Name = sortKey, Type = AttributeType.STRING },
        BillingMode = BillingMode.PAY_PER_REQUEST,
        Encryption = TableEncryption.AWS_MANAGED,
        PointInTimeRecovery = true,
        DeletionProtection = retain,
        RemovalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });

    private DotNetLambda Function(
        string id,
        string project,
        string description,
        ServerlessStackProps props,
        RemovalPolicy logRemoval,
        Dictionary<string, string> tables)
    {
        var environment = new Dictionary<string, string>(tables)
        {
            [SettingNames.Lambda.GrafanaBaseUrl] = props.GrafanaBaseUrl,
            [SettingNames.Lambda.CorsAllowedOrigin] = props.FrontendOrigin,
        };
        return new DotNetLambda(this, id, new DotNetLambdaProps
        {
            RepositoryRoot = props.RepositoryRoot,
            ProjectPath = project,
            Description = description,
            MemoryMiB = props.Sizes.LambdaMemoryMiB,
            Architecture = props.Sizes.LambdaArchitecture,
            Timeout = Duration.Seconds(props.Sizes.LambdaTimeoutSeconds),
            Environment = environment,
            LogRetention = props.LogRetention,
            LogRemovalPolicy = logRemoval,
        });
    }

    private RestApi CreateApi(ServerlessStackProps props, RemovalPolicy logRemoval)
    {
        var accessLogs = new LogGroup(this, "ApiAccessLogs", new LogGroupProps
        {
            Retention = props.LogRetention,
            RemovalPolicy = logRemoval,
        });

        var api = new RestApi(this, "Api", new RestApiProps
        {
            Description = "IoT Playground serverless backend",
            EndpointTypes = [EndpointType.REGIONAL],

            // Access logging needs API Gateway's account-level CloudWatch role.
            CloudWatchRole = true,
            DeployOptions = new StageOptions
            {
                StageName = StageName,
                ThrottlingRateLimit = props.Sizes.ApiRateLimit,
                ThrottlingBurstLimit = props.Sizes.ApiBurstLimit,
                MetricsEnabled = true,
                AccessLogDestination = new LogGroupLogDestination(accessLogs),
                AccessLogFormat = AccessLogFormat.JsonWithStandardFields(new JsonWithStandardFieldProps
                {
                    Caller = false,
                    HttpMethod = true,
                    Ip = true,
                    Protocol = true,
                    RequestTime = true,
                    ResourcePath = true,
                    ResponseLength = true,
                    Status = true,
                    User = false,
                }),
            },
            DomainName = new DomainNameOptions
            {
                DomainName = props.ApiHostName,
                Certificate = props.Certificate,
                EndpointType = EndpointType.REGIONAL,
                SecurityPolicy = SecurityPolicy.TLS_1_2,
            },
            DefaultCorsPreflightOptions = new CorsOptions
            {
                AllowOrigins = [props.FrontendOrigin],
                AllowMethods = [.. CorsRule.Methods, "OPTIONS"],
                AllowHeaders = [.. CorsRule.RequestHeaders],
                ExposeHeaders = [.. CorsRule.ExposedHeaders],
                MaxAge = Duration.Seconds(CorsRule.PreflightMaxAge.TotalSeconds),
            },
        });

        // Errors produced by API Gateway itself (throttling, 5xx) must stay readable by the frontend.
        var allowFrontend = $"'{props.FrontendOrigin}'";
        foreach (var (id, type) in new[] { ("Default4xx", ResponseType_.DEFAULT_4XX), ("Default5xx", ResponseType_.DEFAULT_5XX) })
        {
            api.AddGatewayResponse(id, new GatewayResponseOptions
            {
                Type = type,
                ResponseHeaders = new Dictionary<string, string> { [CorsRule.AllowOriginHeader] = allowFrontend },
            });
        }

        // API Gateway answers a path it does not route with 403 "Missing Authentication Token"; the contract answers
        // 404 with the problem the container API sends (Problems.RouteNotFound).
        api.AddGatewayResponse("UnknownRoute", new GatewayResponseOptions
        {
            Type = ResponseType_.MISSING_AUTHENTICATION_TOKEN,
            StatusCode = "404",
            ResponseHeaders = new Dictionary<string, string>
            {
                [CorsRule.AllowOriginHeader] = allowFrontend,
                [HeaderNames.ContentType] = $"'{Problems.ContentType}'",
            },
            Templates = new Dictionary<string, string> { ["application/json"] = ContractProblems.RouteNotFound },
        });

        // The resources come from the contract's route table: every route reaches its function, and nothing else does.
        var integrations = new Dictionary<string, LambdaIntegration>
        {
            [ApiFunctions.RunApi] = new(RunApi.Function, new LambdaIntegrationOptions { AllowTestInvoke = false }),
            [ApiFunctions.SensorApi] = new(SensorApi.Function, new LambdaIntegrationOptions { AllowTestInvoke = false }),
        };
        foreach (var resource in GatewayResources.All)
        {
            var integration = integrations[resource.Function];
            if (resource.IsProxy)
            {
                var parent = api.Root.ResourceForPath(resource.Path[..^(GatewayResource.ProxySegment.Length + 1)]);
                parent.AddProxy(new ProxyResourceOptions { DefaultIntegration = integration, AnyMethod = true });
            }
            else
            {
                api.Root.ResourceForPath(resource.Path).AddMethod(resource.Method, integration);
            }
        }

        return api;
    }

    private void CreateAlarms()
    {
        var fiveMinutes = Duration.Minutes(5);
        foreach (var (name, function) in new[] { (ApiFunctions.RunApi, RunApi.Function), (ApiFunctions.SensorApi, SensorApi.Function) })
        {
            AlarmOnAny($"{name}Errors", function.MetricErrors(new MetricOptions { Period = fiveMinutes }), $"{name} function errors");
            AlarmOnAny($"{name}Throttles", function.MetricThrottles(new MetricOptions { Period = fiveMinutes }), $"{name} function throttled");
        }

        AlarmOnAny("Api5xx", Api.MetricServerError(new MetricOptions { Period = fiveMinutes }), "API Gateway answered 5xx");
    }

    private void AlarmOnAny(string id, Metric metric, string description) =>
        metric.CreateAlarm(this, id, new CreateAlarmOptions
        {
            AlarmDescription = description,
            Threshold = 1,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
}
