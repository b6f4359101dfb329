using Amazon.CDK.Assertions;
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
            variables[AppSettings.Lambda.GrafanaBaseUrl] = "https://grafana-lambda-iot.example.com";
            variables[AppSettings.Lambda.CorsAllowedOrigin] = "https://app-iot.example.com";

            Template.HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
            {
                ["Runtime"] = "provided.al2023",
                ["Handler"] = "bootstrap",
                ["Environment"] = new Dictionary<string, object> { ["Variables"] = Match.ObjectEquals(variables) },
            });
        }
    }

    [Fact]
    public void TheSensorFunctionMayReadRunsButNotChangeThem()
    {
        var runsTable = Stack.GetLogicalId((Amazon.CDK.CfnElement)Stack.RunsTable.Node.DefaultChild!);
        var sensorRole = Stack.GetLogicalId((Amazon.CDK.CfnElement)Stack.SensorApi.Function.Role!.Node.DefaultChild!);

        var statementsOnRuns = Template.FindResources("AWS::IAM::Policy").Values
            .Select(p => System.Text.Json.JsonSerializer.SerializeToNode(p)!)
            .Where(p => p["Properties"]!["Roles"]!.ToJsonString().Contains(sensorRole, StringComparison.Ordinal))
            .SelectMany(p => p["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .Where(s => s!["Resource"]!.ToJsonString().Contains(runsTable, StringComparison.Ordinal))
            .SelectMany(s => s!["Action"]!.AsArray().Select(a => a!.GetValue<string>()))
            .ToList();

        Assert.Contains("dynamodb:GetItem", statementsOnRuns);
        Assert.Contains("dynamodb:Query", statementsOnRuns);
        Assert.DoesNotContain("dynamodb:PutItem", statementsOnRuns);
        Assert.DoesNotContain("dynamodb:UpdateItem", statementsOnRuns);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("runs")]
    [InlineData("sensors")]
    [InlineData("{proxy+}")]
    [InlineData("health")]
    public void TheRestApiRoutesTheContractPaths(string pathPart) =>
        Template.HasResourceProperties("AWS::ApiGateway::Resource", new Dictionary<string, object> { ["PathPart"] = pathPart });

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

    private static Dictionary<string, object> Key(string name, string type) =>
        new() { ["AttributeName"] = name, ["KeyType"] = type };

    private static Matcher Index(string name, string partitionKey) => Like(
        ("IndexName", name),
        ("KeySchema", new object[] { Key(partitionKey, "HASH"), Key(DynamoDbSchema.Runs.StartSortKey, "RANGE") }),
        ("Projection", new Dictionary<string, object> { ["ProjectionType"] = "ALL" }));
}
