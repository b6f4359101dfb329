using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using Constructs;
using IotPlayground.Contract;
using IotPlayground.Contract.Http;
using IotPlayground.DynamoDb;
using IotPlayground.Cdk.Constructs;
using IotPlayground.Cdk.Stacks;
using static IotPlayground.Cdk.Tests.Stacks.Patterns;

namespace IotPlayground.Cdk.Tests.Stacks;

[Collection(CdkSynthesis.Name)]
public sealed class ServerlessStackTests(SynthesizedApp app)
{
    private ServerlessStack Stack => app.Environment("serverless-dev").Serverless!;

    private Template Template => app.TemplateOf(Stack);

    [Fact]
    public void OnlyTheServerlessEnvironmentHasTheFunctions() =>
        Assert.Null(app.Environment("dev").Serverless);

    [Fact]
    public void TheRunsTableHasTheKeysAndIndexesTheBackendQueries()
    {
        Template.HasResourceProperties("AWS::DynamoDB::Table", new Dictionary<string, object>
        {
            ["KeySchema"] = new object[] { Key(DynamoDbSchema.Runs.PartitionKey, "HASH") },
            ["BillingMode"] = "PAY_PER_REQUEST",
            ["GlobalSecondaryIndexes"] = new object[]
            {
                Index(DynamoDbSchema.Runs.ByStartIndex, DynamoDbSchema.Runs.ByStartPartitionKey),
                Index(DynamoDbSchema.Runs.ByStatusIndex, DynamoDbSchema.Runs.ByStatusPartitionKey),
            },
        });
    }

    [Fact]
    public void SensorReadingsOfARunAreOneQueryInTimeOrder()
    {
        Template.HasResourceProperties("AWS::DynamoDB::Table", new Dictionary<string, object>
        {
            ["KeySchema"] = new object[]
            {
                Key(DynamoDbSchema.SensorData.PartitionKey, "HASH"),
                Key(DynamoDbSchema.SensorData.SortKey, "RANGE"),
            },
            ["BillingMode"] = "PAY_PER_REQUEST",
            ["PointInTimeRecoverySpecification"] = new Dictionary<string, object> { ["PointInTimeRecoveryEnabled"] = true },
        });
    }

    [Fact]
    public void BothFunctionsAreBootstrapExecutablesWithTheirSettings()
    {
        foreach (var tables in new[] { new[] { "RUNS_TABLE" }, new[] { "RUNS_TABLE", "SENSOR_DATA_TABLE" } })
        {
            var variables = tables.ToDictionary(t => t, _ => (object)Match.AnyValue());
            variables[SettingNames.Lambda.GrafanaBaseUrl] = "https://grafana-lambda-iot.example.com";
            variables[SettingNames.Lambda.CorsAllowedOrigin] = "https://app-iot.example.com";

            Template.HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
            {
                ["Runtime"] = "provided.al2023",
                ["Handler"] = "bootstrap",
                ["Environment"] = new Dictionary<string, object> { ["Variables"] = Match.ObjectEquals(variables) },
            });
        }
    }

    [Fact]
    public void BothFunctionsRunOnTheConfiguredArchitectureAndMemory()
    {
        var sizes = app.Config.Environment("serverless-dev").Serverless!;

        var functions = Template.FindResources("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["Properties"] = new Dictionary<string, object>
            {
                ["Runtime"] = "provided.al2023",
                ["Handler"] = "bootstrap",
                ["Architectures"] = new[] { sizes.LambdaArchitecture },
                ["MemorySize"] = sizes.LambdaMemoryMiB,
                ["Timeout"] = sizes.LambdaTimeoutSeconds,
            },
        });

        Assert.Equal(
            new[] { LogicalId(Stack.RunApi.Function), LogicalId(Stack.SensorApi.Function) }.Order(StringComparer.Ordinal),
            functions.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void EachFunctionMayCallOnlyTheDynamoDbActionsItsStoresUse()
    {
        Assert.Equal(
            ["dynamodb:BatchGetItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"],
            ActionsOf(Stack.RunApi, Stack.RunsTable));
        Assert.Equal(["dynamodb:PutItem", "dynamodb:Query"], ActionsOf(Stack.SensorApi, Stack.SensorDataTable));

        // A reading names its run; one past the run's deadline closes it and frees its quota slot (conditional updates).
        Assert.Equal(["dynamodb:GetItem", "dynamodb:UpdateItem"], ActionsOf(Stack.SensorApi, Stack.RunsTable));
    }

    [Fact]
    public void NoFunctionMayQueryAnIndexItDoesNotUse()
    {
        var resources = StatementsOf(Stack.RunApi).Concat(StatementsOf(Stack.SensorApi)).Select(s => s["Resource"]!.ToJsonString()).ToList();

        Assert.DoesNotContain(resources, r => r.Contains("/index/*", StringComparison.Ordinal));
        Assert.Contains(resources, r => r.Contains("/index/" + DynamoDbSchema.Runs.ByStatusIndex, StringComparison.Ordinal));
        Assert.Contains(resources, r => r.Contains("/index/" + DynamoDbSchema.Runs.ByStartIndex, StringComparison.Ordinal));
    }

    [Fact]
    public void EachFunctionIsGrantedOnlyItsTables()
    {
        Assert.Equal([LogicalId(Stack.RunsTable)], TablesGrantedTo(Stack.RunApi));
        Assert.Equal(
            new[] { LogicalId(Stack.RunsTable), LogicalId(Stack.SensorDataTable) }.Order(StringComparer.Ordinal),
            TablesGrantedTo(Stack.SensorApi));
    }

    [Fact]
    public void EveryMinuteTheRunFunctionSweepsOverdueRuns()
    {
        var runFunction = LogicalId(Stack.RunApi.Function);

        // No Input: the function recognises EventBridge's own scheduled event by its source, aws.events.
        Template.HasResourceProperties("AWS::Events::Rule", new Dictionary<string, object>
        {
            ["ScheduleExpression"] = "rate(1 minute)",
            ["State"] = "ENABLED",
            ["Targets"] = new object[]
            {
                Match.ObjectEquals(new Dictionary<string, object>
                {
                    ["Arn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { runFunction, "Arn" } },
                    ["Id"] = Match.AnyValue(),
                }),
            },
        });
        Template.HasResourceProperties("AWS::Lambda::Permission", new Dictionary<string, object>
        {
            ["Action"] = "lambda:InvokeFunction",
            ["FunctionName"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { runFunction, "Arn" } },
            ["Principal"] = "events.amazonaws.com",
            ["SourceArn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { LogicalId(Stack.OverdueRunSweep), "Arn" } },
        });
    }

    [Fact]
    public void TheSweepScheduleKeepsItsConstructId() =>
        Assert.StartsWith("OverdueRunSweep", LogicalId(Stack.OverdueRunSweep), StringComparison.Ordinal);

    [Theory]
    [InlineData("api")]
    [InlineData("runs")]
    [InlineData("sensors")]
    [InlineData("{proxy+}")]
    [InlineData("health")]
    public void TheRestApiRoutesTheContractPaths(string pathPart) =>
        Template.HasResourceProperties("AWS::ApiGateway::Resource", new Dictionary<string, object> { ["PathPart"] = pathPart });

    /// <summary>Every API Gateway method, as (path, method, function), read back from the synthesized template.</summary>
    [Fact]
    public void TheRestApiRoutesExactlyWhatTheRouteTableDerives()
    {
        var resources = app.TemplateJson[Stack.StackName]["Resources"]!.AsObject();
        string PathOf(JsonNode? resourceId)
        {
            if (resourceId?["Ref"] is not { } reference)
            {
                return "";
            }

            var resource = resources[reference.GetValue<string>()]!["Properties"]!;
            return $"{PathOf(resource["ParentId"])}/{resource["PathPart"]!.GetValue<string>()}";
        }

        var functions = new Dictionary<string, string>
        {
            [LogicalId(Stack.RunApi.Function)] = ApiFunctions.RunApi,
            [LogicalId(Stack.SensorApi.Function)] = ApiFunctions.SensorApi,
        };
        var methods = resources
            .Select(r => r.Value!)
            .Where(r => r["Type"]!.GetValue<string>() == "AWS::ApiGateway::Method" && r["Properties"]!["HttpMethod"]!.GetValue<string>() != "OPTIONS")
            .Select(r => r["Properties"]!)
            .Select(m => new GatewayResource(
                PathOf(m["ResourceId"]),
                m["HttpMethod"]!.GetValue<string>(),
                functions.Single(f => m["Integration"]!["Uri"]!.ToJsonString().Contains($"\"{f.Key}\"", StringComparison.Ordinal)).Value))
            .OrderBy(r => r.Path, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(GatewayResources.All.OrderBy(r => r.Path, StringComparer.Ordinal), methods);
    }

    [Fact]
    public void AnUnknownPathIsTheContractsNotFoundProblem()
    {
        var response = Assert.Single(Template.FindResources("AWS::ApiGateway::GatewayResponse", new Dictionary<string, object>
        {
            ["Properties"] = Like(("ResponseType", "MISSING_AUTHENTICATION_TOKEN")),
        })).Value;
        var properties = JsonSerializer.SerializeToNode(response)!["Properties"]!;
        var headers = properties["ResponseParameters"]!;
        var problem = JsonNode.Parse(properties["ResponseTemplates"]!["application/json"]!.GetValue<string>())!;
        var expected = Problems.RouteNotFound("GET", "/api/nowhere");

        Assert.Equal("404", properties["StatusCode"]!.GetValue<string>());
        Assert.Equal($"'{Problems.ContentType}'", headers["gatewayresponse.header.Content-Type"]!.GetValue<string>());
        Assert.Equal("'https://app-iot.example.com'", headers["gatewayresponse.header.Access-Control-Allow-Origin"]!.GetValue<string>());
        Assert.Equal(expected.Type, problem["type"]!.GetValue<string>());
        Assert.Equal(expected.Title, problem["title"]!.GetValue<string>());
        Assert.Equal(expected.Status, problem["status"]!.GetValue<int>());
        Assert.Equal(expected.Code, problem["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(problem["detail"]!.GetValue<string>()));
    }

    [Fact]
    public void TheStageIsThrottledAndAccessLogged()
    {
        Template.HasResourceProperties("AWS::ApiGateway::Stage", new Dictionary<string, object>
        {
            ["StageName"] = ServerlessStack.StageName,
            ["AccessLogSetting"] = Like(("DestinationArn", Match.AnyValue())),
            ["MethodSettings"] = With(Like(("ThrottlingRateLimit", 50), ("ThrottlingBurstLimit", 100))),
        });
    }

    [Fact]
    public void CorsAdmitsOnlyTheFrontendOrigin()
    {
        Template.HasResourceProperties("AWS::ApiGateway::Method", new Dictionary<string, object>
        {
            ["HttpMethod"] = "OPTIONS",
            ["Integration"] = Like(("IntegrationResponses", With(Like(("ResponseParameters", Like(
                ("method.response.header.Access-Control-Allow-Origin", "'https://app-iot.example.com'"))))))),
        });
    }

    [Fact]
    public void TheApiHasItsCustomDomainWithAnAliasRecord()
    {
        Template.HasResourceProperties("AWS::ApiGateway::DomainName", new Dictionary<string, object>
        {
            ["DomainName"] = "api-lambda-iot.example.com",
            ["SecurityPolicy"] = "TLS_1_2",
        });
        Template.HasResourceProperties("AWS::Route53::RecordSet", new Dictionary<string, object>
        {
            ["Name"] = "api-lambda-iot.example.com.",
            ["Type"] = "A",
        });
    }

    [Theory]
    [InlineData("Errors", 2)]
    [InlineData("Throttles", 2)]
    [InlineData("5XXError", 1)]
    public void AlarmsWatchErrorsThrottlesAndServerErrors(string metric, int count) =>
        Assert.Equal(count, Template.FindResources("AWS::CloudWatch::Alarm", new Dictionary<string, object>
        {
            ["Properties"] = Like(("MetricName", metric)),
        }).Count);

    /// <summary>The statements of the policies attached to a function's role, as JSON.</summary>
    private IEnumerable<JsonNode> StatementsOf(DotNetLambda function)
    {
        var role = LogicalId(function.Function.Role!);
        return Template.FindResources("AWS::IAM::Policy").Values
            .Select(p => JsonSerializer.SerializeToNode(p)!)
            .Where(p => p["Properties"]!["Roles"]!.ToJsonString().Contains(role, StringComparison.Ordinal))
            .SelectMany(p => p["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(s => s!);
    }

    private List<string> ActionsOf(DotNetLambda function, Amazon.CDK.AWS.DynamoDB.Table table) => StatementsOf(function)
        .Where(s => s["Resource"]!.ToJsonString().Contains(LogicalId(table), StringComparison.Ordinal))
        .SelectMany(s => s["Action"] is System.Text.Json.Nodes.JsonArray actions
            ? actions.Select(a => a!.GetValue<string>())
            : [s["Action"]!.GetValue<string>()])
        .Where(a => a.StartsWith("dynamodb:", StringComparison.Ordinal))
        .Distinct()
        .Order(StringComparer.Ordinal)
        .ToList();

    private List<string> TablesGrantedTo(DotNetLambda function)
    {
        var tables = Template.FindResources("AWS::DynamoDB::Table").Keys;
        return StatementsOf(function)
            .Where(s => s["Action"]!.ToJsonString().Contains("dynamodb:", StringComparison.Ordinal))
            .SelectMany(s => tables.Where(t => s["Resource"]!.ToJsonString().Contains(t, StringComparison.Ordinal)))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private string LogicalId(IConstruct construct) =>
        Stack.GetLogicalId((Amazon.CDK.CfnElement)construct.Node.DefaultChild!);

    private static Dictionary<string, object> Key(string name, string type) =>
        new() { ["AttributeName"] = name, ["KeyType"] = type };

    private static Matcher Index(string name, string partitionKey) => Like(
        ("IndexName", name),
        ("KeySchema", new object[] { Key(partitionKey, "HASH"), Key(DynamoDbSchema.Runs.StartSortKey, "RANGE") }),
        ("Projection", new Dictionary<string, object> { ["ProjectionType"] = "ALL" }));
}
