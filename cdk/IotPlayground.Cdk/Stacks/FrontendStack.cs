using Amazon.CDK;
using Amazon.CDK.AWS.CertificateManager;
using Amazon.CDK.AWS.CloudFront;
using Amazon.CDK.AWS.CloudFront.Origins;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.Route53;
using Amazon.CDK.AWS.Route53.Targets;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.S3.Deployment;
using IotPlayground.Cdk.Config;
using IotPlayground.Cdk.Constructs;
using Constructs;
using Distribution = Amazon.CDK.AWS.CloudFront.Distribution;

namespace IotPlayground.Cdk.Stacks;

/// <summary>One entry of the page's <c>config.json</c>: a backend the user can pick.</summary>
public sealed record WebBackend(string Id, string Name, string Url);

public sealed class FrontendStackProps : StackProps
{
    public required HostedZoneConfig HostedZone { get; init; }

    public required string HostName { get; init; }

    /// <summary>Plain URLs from configuration, so the page depends on no backend stack.</summary>
    public required IReadOnlyList<WebBackend> Backends { get; init; }

    public required RetentionDays LogRetention { get; init; }

    public required string RepositoryRoot { get; init; }
}

/// <summary>
/// The web page on CloudFront: files in a private bucket that only this distribution may read (origin
/// access control), the host name with its certificate, and the <c>config.json</c> naming the backends.
/// Lives in us-east-1, the only region whose certificates CloudFront accepts, so nothing crosses regions.
/// </summary>
public sealed class FrontendStack : Stack
{
    /// <summary>CloudFront takes its certificates from this region only.</summary>
    public const string CertificateRegion = "us-east-1";

    public const string WebDirectory = "apps/web";

    /// <summary>The file the page loads its backends from (apps/web/app.js), written by this stack.</summary>
    public const string ConfigFile = "config.json";

    /// <summary>
    /// Files of apps/web that are not the page: the local dev server and Node tooling, and a local
    /// config.json that must never shadow the one this stack writes.
    /// </summary>
    public static IReadOnlyList<string> NotThePage { get; } =
        ["*.mjs", ConfigFile, "package.json", "package-lock.json", "node_modules", "*.md"];

    public FrontendStack(Construct scope, string id, FrontendStackProps props)
        : base(scope, id, props)
    {
        if (props.Backends.Count == 0)
        {
            throw new ArgumentException($"{id} needs at least one backend for the page to call.", nameof(props));
        }

        var webDirectory = Path.GetDirectoryName(
            RepositoryAsset.RequireFile(props.RepositoryRoot, WebDirectory + "/index.html", $"the web page of {id}"))!;

        var zone = HostedZone.FromHostedZoneAttributes(this, "Zone", new HostedZoneAttributes
        {
            HostedZoneId = props.HostedZone.Id,
            ZoneName = props.HostedZone.Name,
        });

        Certificate = new Certificate(this, "Certificate", new CertificateProps
        {
            DomainName = props.HostName,
            Validation = CertificateValidation.FromDns(zone),
        });

        // Only build output lives here, redeployable at any time: it goes with the stack.
        Bucket = new Bucket(this, "Site", new BucketProps
        {
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            Encryption = BucketEncryption.S3_MANAGED,
            EnforceSSL = true,
            Versioned = true,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            RemovalPolicy = RemovalPolicy.DESTROY,
            AutoDeleteObjects = true,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "ExpireReplacedPageVersions",
                    NoncurrentVersionExpiration = Duration.Days(30),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(1),
                },
            ],
        });

        var origin = S3BucketOrigin.WithOriginAccessControl(Bucket);
        var headers = SecurityHeaders(props.Backends);

        Distribution = new Distribution(this, "Distribution", new DistributionProps
        {
            Comment = $"IoT Playground web page, {props.HostName}",
            DomainNames = [props.HostName],
            Certificate = Certificate,
            MinimumProtocolVersion = SecurityPolicyProtocol.TLS_V1_2_2021,
            HttpVersion = HttpVersion.HTTP2_AND_3,
            PriceClass = PriceClass.PRICE_CLASS_100,
            DefaultRootObject = "index.html",
            DefaultBehavior = new BehaviorOptions
            {
                Origin = origin,
                ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                AllowedMethods = AllowedMethods.ALLOW_GET_HEAD,
                CachePolicy = CachePolicy.CACHING_OPTIMIZED,
                ResponseHeadersPolicy = headers,
                Compress = true,
            },
            AdditionalBehaviors = new Dictionary<string, IBehaviorOptions>
            {
                // The backends' URLs change with a deployment; the page must see them at once.
                ["/" + ConfigFile] = new BehaviorOptions
                {
                    Origin = origin,
                    ViewerProtocolPolicy = ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                    AllowedMethods = AllowedMethods.ALLOW_GET_HEAD,
                    CachePolicy = CachePolicy.CACHING_DISABLED,
                    ResponseHeadersPolicy = headers,
                },
            },
        });

        var deploymentLogs = new LogGroup(this, "DeploymentLogs", new LogGroupProps
        {
            Retention = props.LogRetention,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        // The files have no content hash in their names, so browsers keep them briefly and every
        // deployment invalidates CloudFront's copies.
        _ = new BucketDeployment(this, "PageDeployment", new BucketDeploymentProps
        {
            Sources = [Source.Asset(webDirectory, new Amazon.CDK.AWS.S3.Assets.AssetOptions { Exclude = [.. NotThePage] })],
            DestinationBucket = Bucket,
            Exclude = [ConfigFile], // written by ConfigDeployment: never pruned by this one
            CacheControl = [CacheControl.SetPublic(), CacheControl.MaxAge(Duration.Minutes(5))],
            Distribution = Distribution,
            DistributionPaths = ["/*"],
            LogGroup = deploymentLogs,
        });

        _ = new BucketDeployment(this, "ConfigDeployment", new BucketDeploymentProps
        {
            Sources = [Source.JsonData(ConfigFile, PageConfig(props.Backends))],
            DestinationBucket = Bucket,
            Prune = false,
            CacheControl = [CacheControl.NoCache()],
            Distribution = Distribution,
            DistributionPaths = ["/" + ConfigFile],
            LogGroup = deploymentLogs,
        });

        var target = RecordTarget.FromAlias(new CloudFrontTarget(Distribution));
        _ = new ARecord(this, "Alias", new ARecordProps { Zone = zone, RecordName = props.HostName, Target = target });
        _ = new AaaaRecord(this, "AliasIpv6", new AaaaRecordProps { Zone = zone, RecordName = props.HostName, Target = target });

        _ = new CfnOutput(this, "Url", new CfnOutputProps { Value = $"https://{props.HostName}" });
    }

    public Certificate Certificate { get; }

    public Bucket Bucket { get; }

    public Distribution Distribution { get; }

    /// <summary>The shape apps/web/app.js reads, and apps/web/serve.mjs serves locally.</summary>
    public static Dictionary<string, object> PageConfig(IEnumerable<WebBackend> backends) => new()
    {
        ["backends"] = backends
            .Select(b => (object)new Dictionary<string, object> { ["id"] = b.Id, ["name"] = b.Name, ["url"] = b.Url })
            .ToArray(),
    };

    /// <summary>The page loads only its own files and calls only the configured backends.</summary>
    public static string ContentSecurityPolicy(IEnumerable<WebBackend> backends) =>
        "default-src 'self'; " +
        $"connect-src 'self' {string.Join(' ', backends.Select(b => b.Url))}; " +
        "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private ResponseHeadersPolicy SecurityHeaders(IEnumerable<WebBackend> backends) =>
        new(this, "SecurityHeaders", new ResponseHeadersPolicyProps
        {
            Comment = "IoT Playground page: HSTS, CSP limited to the configured backends, no framing or sniffing",
            SecurityHeadersBehavior = new ResponseSecurityHeadersBehavior
            {
                StrictTransportSecurity = new ResponseHeadersStrictTransportSecurity
                {
                    AccessControlMaxAge = Duration.Days(730),
                    IncludeSubdomains = true,
                    Override = true,
                },
                ContentSecurityPolicy = new ResponseHeadersContentSecurityPolicy
                {
                    ContentSecurityPolicy = ContentSecurityPolicy(backends),
                    Override = true,
                },
                ContentTypeOptions = new ResponseHeadersContentTypeOptions { Override = true },
                FrameOptions = new ResponseHeadersFrameOptions { FrameOption = HeadersFrameOption.DENY, Override = true },
                ReferrerPolicy = new ResponseHeadersReferrerPolicy
                {
                    ReferrerPolicy = HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    Override = true,
                },
            },
        });
}
