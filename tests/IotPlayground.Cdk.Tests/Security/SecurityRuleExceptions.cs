namespace IotPlayground.Cdk.Tests.Security;

/// <summary>An accepted violation of one rule by resources whose logical id starts with a prefix.</summary>
public sealed record AcceptedViolation(string Rule, string LogicalIdPrefix, string Reason)
{
    public bool Covers(Violation violation) =>
        violation.Rule == Rule && violation.LogicalId.StartsWith(LogicalIdPrefix, StringComparison.Ordinal);
}

/// <summary>
/// The one place where departures from the rules of <see cref="SecurityRules"/> are written down, with their reason.
/// The AwsSolutions pack's acknowledgements live in aws-solutions-acknowledgements.json beside this file.
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
