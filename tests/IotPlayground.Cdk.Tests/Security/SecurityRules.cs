using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IotPlayground.Cdk.Tests.Security;

/// <summary>
/// Checks over synthesized templates that cdk-nag's AwsSolutions pack (AwsSolutionsPackTests) does not make:
/// default bucket and table encryption declared, databases explicitly private, TLS policies of load balancers, API
/// domains and CloudFront (with HTTPS on every behavior), API throttling, log retention everywhere, and no secret in
/// a plain environment variable. Each rule returns every violation it finds; exceptions are applied by the caller.
/// </summary>
public static partial class SecurityRules
{
    public const string BucketEncryption = "S3-Encryption";
    public const string DatabasePublicAccess = "RDS-PublicAccess";
    public const string TableEncryption = "DynamoDB-Encryption";
    public const string ListenerTls = "ELB-Tls";
    public const string ApiDomainTls = "APIG-DomainTls";
    public const string ApiThrottling = "APIG-Throttling";
    public const string LogRetention = "Logs-Retention";
    public const string SecretInEnvironment = "Secret-InEnvironment";
    public const string CdnTls = "CloudFront-Tls";

    /// <summary>TLS 1.2+ policies of Application Load Balancers.</summary>
    private static readonly HashSet<string> ModernTlsPolicies =
    [
        "ELBSecurityPolicy-TLS13-1-2-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
        "ELBSecurityPolicy-TLS13-1-3-2021-06",
        "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
    ];

    /// <summary>CloudFront's TLS 1.2+ viewer policy with the 2021 cipher list.</summary>
    private const string ModernCdnTlsPolicy = "TLSv1.2_2021";

    public static IEnumerable<Violation> Check(string rule, IReadOnlyDictionary<string, JsonObject> templates) => rule switch
    {
        BucketEncryption => Buckets(templates)
            .Where(b => b.Props["BucketEncryption"] is null)
            .Select(b => b.Violates(rule, "no default encryption")),
        DatabasePublicAccess => Databases(templates)
            .Where(d => d.Props["PubliclyAccessible"] is not JsonValue v || v.GetValue<bool>())
            .Select(d => d.Violates(rule, "PubliclyAccessible is not explicitly false")),
        TableEncryption => Tables(templates)
            .Where(t => !IsTrue(t.Props["SSESpecification"]?["SSEEnabled"]))
            .Select(t => t.Violates(rule, "server-side encryption not declared")),
        ListenerTls => ListenerViolations(templates),
        ApiDomainTls => TemplateResource.OfType(templates, "AWS::ApiGateway::DomainName")
            .Where(d => d.Props["SecurityPolicy"]?.GetValue<string>() != "TLS_1_2")
            .Select(d => d.Violates(rule, "security policy below TLS 1.2")),
        ApiThrottling => Stages(templates)
            .Where(s => !(s.Props["MethodSettings"] as JsonArray ?? []).Any(m =>
                m?["ThrottlingRateLimit"] is not null && m["ThrottlingBurstLimit"] is not null))
            .Select(s => s.Violates(rule, "no stage throttling")),
        LogRetention => LogRetentionViolations(templates),
        SecretInEnvironment => SecretInEnvironmentViolations(templates),
        CdnTls => CdnTlsViolations(templates),
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown rule."),
    };

    private static IEnumerable<TemplateResource> Buckets(IReadOnlyDictionary<string, JsonObject> t) =>
        TemplateResource.OfType(t, "AWS::S3::Bucket");

    private static IEnumerable<TemplateResource> Databases(IReadOnlyDictionary<string, JsonObject> t) =>
        TemplateResource.OfType(t, "AWS::RDS::DBInstance");

    private static IEnumerable<TemplateResource> Tables(IReadOnlyDictionary<string, JsonObject> t) =>
        TemplateResource.OfType(t, "AWS::DynamoDB::Table");

    private static IEnumerable<TemplateResource> Distributions(IReadOnlyDictionary<string, JsonObject> t) =>
        TemplateResource.OfType(t, "AWS::CloudFront::Distribution");

    private static IEnumerable<TemplateResource> Stages(IReadOnlyDictionary<string, JsonObject> t) =>
        TemplateResource.OfType(t, "AWS::ApiGateway::Stage");

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static IEnumerable<JsonNode> AsList(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.OfType<JsonNode>(),
        _ => [node],
    };

    /// <summary>The value when the template holds a literal, default when it holds an intrinsic function.</summary>
    private static T? Literal<T>(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<T>(out var literal) ? literal : default;

    private static IEnumerable<Violation> ListenerViolations(IReadOnlyDictionary<string, JsonObject> templates)
    {
        foreach (var listener in TemplateResource.OfType(templates, "AWS::ElasticLoadBalancingV2::Listener"))
        {
            var protocol = listener.Props["Protocol"]?.GetValue<string>();
            var policy = listener.Props["SslPolicy"]?.GetValue<string>();
            var redirectsToHttps = AsList(listener.Props["DefaultActions"]).All(a =>
                a["Type"]?.GetValue<string>() == "redirect"
                && a["RedirectConfig"]?["Protocol"]?.GetValue<string>() == "HTTPS");

            if (protocol == "HTTPS" && (policy is null || !ModernTlsPolicies.Contains(policy)))
            {
                yield return listener.Violates(ListenerTls, $"HTTPS listener with policy {policy ?? "(default)"}");
            }
            else if (protocol != "HTTPS" && !redirectsToHttps)
            {
                yield return listener.Violates(ListenerTls, $"{protocol} listener that does not redirect to HTTPS");
            }
        }
    }

    private static IEnumerable<Violation> CdnTlsViolations(IReadOnlyDictionary<string, JsonObject> templates)
    {
        foreach (var distribution in Distributions(templates))
        {
            var config = distribution.Props["DistributionConfig"];
            var minimum = Literal<string>(config?["ViewerCertificate"]?["MinimumProtocolVersion"]);
            if (minimum != ModernCdnTlsPolicy)
            {
                yield return distribution.Violates(CdnTls, $"viewer TLS minimum {minimum ?? "(default certificate)"}");
            }

            var behaviors = AsList(config?["CacheBehaviors"]).Prepend(config?["DefaultCacheBehavior"] ?? new JsonObject());
            foreach (var behavior in behaviors.Where(b => Literal<string>(b["ViewerProtocolPolicy"]) is not ("redirect-to-https" or "https-only")))
            {
                yield return distribution.Violates(CdnTls, $"behavior {behavior["PathPattern"] ?? "(default)"} serves plain HTTP");
            }
        }
    }

    private static IEnumerable<Violation> LogRetentionViolations(IReadOnlyDictionary<string, JsonObject> templates)
    {
        foreach (var group in TemplateResource.OfType(templates, "AWS::Logs::LogGroup")
                     .Where(g => g.Props["RetentionInDays"] is null))
        {
            yield return group.Violates(LogRetention, "log group kept forever");
        }

        // A function without an explicit log group writes to one Lambda creates, kept forever.
        foreach (var function in TemplateResource.OfType(templates, "AWS::Lambda::Function")
                     .Where(f => f.Props["LoggingConfig"]?["LogGroup"] is null))
        {
            yield return function.Violates(LogRetention, "function logs to an unmanaged log group");
        }

        foreach (var task in TemplateResource.OfType(templates, "AWS::ECS::TaskDefinition"))
        {
            foreach (var container in AsList(task.Props["ContainerDefinitions"])
                         .Where(c => c["LogConfiguration"]?["Options"]?["awslogs-group"] is null))
            {
                yield return task.Violates(LogRetention, $"container {container["Name"]} has no managed log group");
            }
        }
    }

    private static IEnumerable<Violation> SecretInEnvironmentViolations(IReadOnlyDictionary<string, JsonObject> templates)
    {
        var variables =
            TemplateResource.OfType(templates, "AWS::Lambda::Function")
                .SelectMany(f => (f.Props["Environment"]?["Variables"]?.AsObject() ?? [])
                    .Select(v => (Resource: f, Name: v.Key, Value: v.Value)))
            .Concat(TemplateResource.OfType(templates, "AWS::ECS::TaskDefinition")
                .SelectMany(t => AsList(t.Props["ContainerDefinitions"])
                    .SelectMany(c => AsList(c["Environment"]))
                    .Select(v => (Resource: t, Name: v["Name"]!.GetValue<string>(), Value: v["Value"]))));

        foreach (var (resource, name, value) in variables)
        {
            if (SecretName().IsMatch(name))
            {
                yield return resource.Violates(SecretInEnvironment, $"{name} looks like a secret in a plain environment variable");
            }
            else if (value?.ToJsonString().Contains("{{resolve:secretsmanager", StringComparison.Ordinal) == true)
            {
                yield return resource.Violates(SecretInEnvironment, $"{name} resolves a secret into plain text");
            }
        }
    }

    [GeneratedRegex("PASSWORD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
