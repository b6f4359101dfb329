namespace IotPlayground.Cdk.Tests.Security;

/// <summary>An accepted violation of one rule by resources whose logical id starts with a prefix.</summary>
public sealed record AcceptedViolation(string Rule, string LogicalIdPrefix, string Reason)
{
    public bool Covers(Violation violation) =>
        violation.Rule == Rule && violation.LogicalId.StartsWith(LogicalIdPrefix, StringComparison.Ordinal);
}

/// <summary>
/// The one place where departures from the security rules are written down, with their reason.
///
/// Exceptions to the rules checked by <see cref="SecurityRules"/>: see <see cref="All"/>.
///
/// AwsSolutions (cdk-nag) rules deliberately not enforced in these dev environments, each a cost
/// or scope choice to revisit before anything production-like:
/// - RDS Multi-AZ (AwsSolutions-RDS3): off; doubles the database cost. Per environment in cdk.json.
/// - RDS IAM authentication (RDS6) and secret rotation (SMG4): password from Secrets Manager, not rotated.
/// - ALB access logs (ELB2) and VPC flow logs (VPC7): off; a bucket or log group per env for little value in dev.
/// - ECS Container Insights (ECS4): off; per-metric charges exceed the services' own cost.
/// - API Gateway authorization (APIG4, COG4): the API is public by design; callers name themselves
///   with X-User as in the original system. Throttling limits abuse.
/// - API Gateway execution logs (APIG6): access logs only; execution logs create an unmanaged log group.
/// - API Gateway WAF (APIG3) and request validation (APIG2): the functions validate every request.
/// - IAM managed policies (IAM4): only AWS's own for API Gateway's CloudWatch role and the CDK's helpers.
/// - CloudFront access logs (CFR3) and S3 server access logs of the page bucket (S1): off; the page is
///   public static files, and a log bucket that needs ACLs for CloudFront's legacy logging buys little in dev.
/// - CloudFront WAF (CFR2) and geo restriction (CFR1): the page holds nothing secret; the APIs throttle.
/// </summary>
public static class SecurityRuleExceptions
{
    public static IReadOnlyList<AcceptedViolation> All { get; } =
    [
        new(
            SecurityRules.LogRetention,
            "CustomVpcRestrictDefaultSGCustomResourceProvider",
            "The CDK's own provider that strips the default security group's rules; it runs once per " +
            "deployment and the CDK gives no way to attach a log group to it."),
        new(
            SecurityRules.LogRetention,
            "CustomS3AutoDeleteObjectsCustomResourceProvider",
            "The CDK's own provider that empties the page bucket when the Frontend stack is destroyed (a " +
            "versioned bucket cannot be deleted otherwise); it runs on deletion only and the CDK gives no way " +
            "to attach a log group to it."),
    ];
}
