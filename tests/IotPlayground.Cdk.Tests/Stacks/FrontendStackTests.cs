using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using IotPlayground.Contract;
using IotPlayground.Cdk.Stacks;
using static IotPlayground.Cdk.Tests.Stacks.Patterns;

namespace IotPlayground.Cdk.Tests.Stacks;

[Collection(CdkSynthesis.Name)]
public sealed class FrontendStackTests(SynthesizedApp app)
{
    private const string HostName = "app-iot.example.com";
    private const string Origin = "https://" + HostName;

    /// <summary>Ids of CloudFront's managed cache policies.</summary>
    private const string CachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6";
    private const string CachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";

    private static readonly string[] Aliases = [HostName];
    private static readonly string[] GetAndHead = ["GET", "HEAD"];

    private FrontendStack Stack => app.Environment("dev").Frontend!;

    private Template Template => app.TemplateOf(Stack);

    private JsonObject StackResources => app.TemplateJson[Stack.StackName]["Resources"]!.AsObject();

    [Fact]
    public void OnlyTheEnvironmentNamedInTheConfigurationHostsThePage()
    {
        Assert.Equal("dev", app.Config.Frontend.Environment);
        Assert.Equal("dev-Frontend", Stack.StackName);
        Assert.Null(app.Environment("serverless-dev").Frontend);
    }

    [Fact]
    public void TheCertificateIsIssuedInUsEast1AndValidatedInTheConfiguredZone()
    {
        Assert.Equal("us-east-1", Stack.Region);
        Template.HasResourceProperties("AWS::CertificateManager::Certificate", new Dictionary<string, object>
        {
            ["DomainName"] = HostName,
            ["ValidationMethod"] = "DNS",
            ["DomainValidationOptions"] = new object[]
            {
                new Dictionary<string, object> { ["DomainName"] = HostName, ["HostedZoneId"] = "Z0123456789EXAMPLE0AB" },
            },
        });
    }

    [Fact]
    public void TheDistributionServesTheHostOverHttpsOnlyWithTls12AndTheIndexAtTheRoot()
    {
        Template.HasResourceProperties("AWS::CloudFront::Distribution", new Dictionary<string, object>
        {
            ["DistributionConfig"] = Like(
                ("Aliases", Aliases),
                ("DefaultRootObject", "index.html"),
                ("ViewerCertificate", new Dictionary<string, object>
                {
                    ["AcmCertificateArn"] = new Dictionary<string, object> { ["Ref"] = LogicalId(Stack.Certificate) },
                    ["MinimumProtocolVersion"] = "TLSv1.2_2021",
                    ["SslSupportMethod"] = "sni-only",
                }),
                ("DefaultCacheBehavior", Like(
                    ("ViewerProtocolPolicy", "redirect-to-https"),
                    ("AllowedMethods", GetAndHead),
                    ("CachePolicyId", CachingOptimized)))),
        });
    }

    [Fact]
    public void TheBucketIsNeverPublicEncryptedVersionedAndTlsOnly()
    {
        Template.ResourceCountIs("AWS::S3::Bucket", 1);
        Template.HasResourceProperties("AWS::S3::Bucket", new Dictionary<string, object>
        {
            ["PublicAccessBlockConfiguration"] = new Dictionary<string, object>
            {
                ["BlockPublicAcls"] = true,
                ["BlockPublicPolicy"] = true,
                ["IgnorePublicAcls"] = true,
                ["RestrictPublicBuckets"] = true,
            },
            ["BucketEncryption"] = Match.AnyValue(),
            ["VersioningConfiguration"] = new Dictionary<string, object> { ["Status"] = "Enabled" },
        });
        Template.HasResourceProperties("AWS::S3::BucketPolicy", new Dictionary<string, object>
        {
            ["PolicyDocument"] = Like(("Statement", With(Like(
                ("Effect", "Deny"),
                ("Condition", new Dictionary<string, object>
                {
                    ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" },
                }))))),
        });
    }

    [Fact]
    public void OnlyThisDistributionMayReadTheBucketThroughOriginAccessControl()
    {
        var distribution = LogicalId(Stack.Distribution);
        var bucket = LogicalId(Stack.Bucket);

        Template.HasResourceProperties("AWS::CloudFront::OriginAccessControl", new Dictionary<string, object>
        {
            ["OriginAccessControlConfig"] = Like(
                ("OriginAccessControlOriginType", "s3"),
                ("SigningBehavior", "always"),
                ("SigningProtocol", "sigv4")),
        });
        Template.HasResourceProperties("AWS::CloudFront::Distribution", new Dictionary<string, object>
        {
            ["DistributionConfig"] = Like(("Origins", new object[]
            {
                Like(
                    ("DomainName", new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { bucket, "RegionalDomainName" } }),
                    ("OriginAccessControlId", Match.AnyValue()),
                    ("S3OriginConfig", new Dictionary<string, object> { ["OriginAccessIdentity"] = "" })),
            })),
        });

        var statements = BucketPolicyStatements();
        var reads = statements.Where(s => s["Principal"]?["Service"]?.GetValue<string>() == "cloudfront.amazonaws.com").ToList();
        var read = Assert.Single(reads);
        Assert.Equal("s3:GetObject", read["Action"]!.GetValue<string>());
        Assert.Contains(distribution, read["Condition"]!["StringEquals"]!["AWS:SourceArn"]!.ToJsonString(), StringComparison.Ordinal);

        // Nothing else is granted to anyone but the CDK's own clean-up role.
        Assert.All(
            statements.Where(s => s["Effect"]!.GetValue<string>() == "Allow").Except(reads),
            s => Assert.Contains("AutoDeleteObjects", s["Principal"]!.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public void ConfigJsonIsNeitherCachedByCloudFrontNorByBrowsers()
    {
        Template.HasResourceProperties("AWS::CloudFront::Distribution", new Dictionary<string, object>
        {
            ["DistributionConfig"] = Like(("CacheBehaviors", new object[]
            {
                Like(
                    ("PathPattern", "/config.json"),
                    ("CachePolicyId", CachingDisabled),
                    ("ViewerProtocolPolicy", "redirect-to-https")),
            })),
        });

        var config = Deployment("ConfigDeployment");
        Assert.Equal("no-cache", config["SystemMetadata"]!["cache-control"]!.GetValue<string>());
        Assert.False(config["Prune"]!.GetValue<bool>());
        Assert.Equal("[\"/config.json\"]", config["DistributionPaths"]!.ToJsonString());
    }

    [Fact]
    public void ThePageIsCachedBrieflyInvalidatedOnDeployAndNeverPrunesTheConfig()
    {
        var page = Deployment("PageDeployment");

        Assert.Equal("public, max-age=300", page["SystemMetadata"]!["cache-control"]!.GetValue<string>());
        Assert.Equal("[\"/*\"]", page["DistributionPaths"]!.ToJsonString());
        Assert.Equal("[\"config.json\"]", page["Exclude"]!.ToJsonString());
    }

    [Fact]
    public void ThePageDeploysEveryFileOfTheWebAppButTheLocalDevServer()
    {
        var deployed = Directory.GetFiles(AssetDirectory("PageDeployment"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetFileName(f))
            .Order();
        var webApp = Directory.GetFiles(Path.Combine(app.RepositoryRoot, FrontendStack.WebDirectory))
            .Select(f => Path.GetFileName(f)!)
            .Where(f => f != "serve.mjs");

        Assert.Contains("index.html", deployed);
        Assert.DoesNotContain("serve.mjs", deployed);
        Assert.Equal(webApp.Order(), deployed);
    }

    [Fact]
    public void TheConfigFileNamesBothBackendsApisInTheShapeThePageReads()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(AssetDirectory("ConfigDeployment"), "config.json")))!;

        Assert.Equal(
            """{"backends":[{"id":"ecs","name":"Container (ECS)","url":"https://api-iot.example.com"},{"id":"serverless","name":"Serverless","url":"https://api-lambda-iot.example.com"}]}""",
            config.ToJsonString());
    }

    [Fact]
    public void EachBackendUrlIsTheHostItsStackServesAndThatApiAllowsThePagesOrigin()
    {
        var dev = app.Environment("dev");
        var serverless = app.Environment("serverless-dev");

        app.TemplateOf(dev.EcsBackend!).HasResourceProperties("AWS::Route53::RecordSet", new Dictionary<string, object>
        {
            ["Name"] = "api-iot.example.com.",
            ["Type"] = "A",
        });
        app.TemplateOf(dev.EcsBackend!).HasResourceProperties("AWS::ECS::TaskDefinition", new Dictionary<string, object>
        {
            ["ContainerDefinitions"] = With(Like(("Environment", With(Variable(SettingNames.ContainerApi.CorsAllowedOrigin, Origin))))),
        });

        app.TemplateOf(serverless.Serverless!).HasResourceProperties("AWS::ApiGateway::DomainName", new Dictionary<string, object>
        {
            ["DomainName"] = "api-lambda-iot.example.com",
        });
        app.TemplateOf(serverless.Serverless!).HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["Environment"] = Like(("Variables", Like((SettingNames.Lambda.CorsAllowedOrigin, Origin)))),
        });
    }

    [Fact]
    public void ResponsesCarrySecurityHeadersAndTheCspAdmitsOnlyTheConfiguredBackends()
    {
        Template.HasResourceProperties("AWS::CloudFront::ResponseHeadersPolicy", new Dictionary<string, object>
        {
            ["ResponseHeadersPolicyConfig"] = Like(("SecurityHeadersConfig", Like(
                ("StrictTransportSecurity", Like(("AccessControlMaxAgeSec", 63072000), ("Override", true))),
                ("ContentTypeOptions", new Dictionary<string, object> { ["Override"] = true }),
                ("FrameOptions", new Dictionary<string, object> { ["FrameOption"] = "DENY", ["Override"] = true }),
                ("ReferrerPolicy", Like(("ReferrerPolicy", "strict-origin-when-cross-origin"))),
                ("ContentSecurityPolicy", Like(("ContentSecurityPolicy", Match.StringLikeRegexp(
                    "connect-src 'self' https://api-iot\\.example\\.com https://api-lambda-iot\\.example\\.com;"))))))),
        });

        var policy = StackResources.Single(r => r.Value!["Type"]!.GetValue<string>() == "AWS::CloudFront::ResponseHeadersPolicy").Key;
        var behaviors = DistributionSettings["CacheBehaviors"]!.AsArray().Append(DistributionSettings["DefaultCacheBehavior"]);
        Assert.All(behaviors, b => Assert.Equal(policy, b!["ResponseHeadersPolicyId"]!["Ref"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("A")]
    [InlineData("AAAA")]
    public void TheHostNameIsAnAliasOfTheDistribution(string type)
    {
        Template.HasResourceProperties("AWS::Route53::RecordSet", new Dictionary<string, object>
        {
            ["Name"] = HostName + ".",
            ["Type"] = type,
            ["HostedZoneId"] = "Z0123456789EXAMPLE0AB",
            ["AliasTarget"] = Like(("DNSName", new Dictionary<string, object>
            {
                ["Fn::GetAtt"] = new[] { LogicalId(Stack.Distribution), "DomainName" },
            })),
        });
    }

    [Fact]
    public void TheStackStandsAloneWithoutCrossStackOrCrossRegionReferences()
    {
        Assert.Empty(Stack.Dependencies);
        Assert.All(app.Stacks.All, s => Assert.DoesNotContain(Stack, s.Dependencies));
        Assert.DoesNotContain("Fn::ImportValue", app.TemplateJson[Stack.StackName].ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("ExportsReader", app.TemplateJson[Stack.StackName].ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheDeploymentFunctionLogsToAGroupWithRetention()
    {
        var function = StackResources.Single(r =>
            r.Key.StartsWith("CustomCDKBucketDeployment", StringComparison.Ordinal)
            && r.Value!["Type"]!.GetValue<string>() == "AWS::Lambda::Function").Value!;
        var logGroup = function["Properties"]!["LoggingConfig"]!["LogGroup"]!["Ref"]!.GetValue<string>();

        Assert.Equal(30, StackResources[logGroup]!["Properties"]!["RetentionInDays"]!.GetValue<int>());
    }

    private JsonObject DistributionSettings =>
        StackResources[LogicalId(Stack.Distribution)]!["Properties"]!["DistributionConfig"]!.AsObject();

    private string LogicalId(Amazon.CDK.IResource resource) =>
        Stack.GetLogicalId((Amazon.CDK.CfnElement)resource.Node.DefaultChild!);

    private List<JsonNode> BucketPolicyStatements() =>
        [.. StackResources.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::S3::BucketPolicy")
            .SelectMany(r => r.Value!["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray())
            .OfType<JsonNode>()];

    /// <summary>The properties of the custom resource of one BucketDeployment.</summary>
    private JsonObject Deployment(string id) =>
        StackResources.Single(r => r.Key.StartsWith(id + "CustomResource", StringComparison.Ordinal)).Value!["Properties"]!.AsObject();

    /// <summary>The staged files the deployment uploads: cdk.out/asset.&lt;hash of its only source&gt;.</summary>
    private string AssetDirectory(string deploymentId)
    {
        var key = Assert.Single(Deployment(deploymentId)["SourceObjectKeys"]!.AsArray())!.GetValue<string>();
        return Path.Combine(app.AssemblyDirectory, "asset." + Path.GetFileNameWithoutExtension(key));
    }
}
