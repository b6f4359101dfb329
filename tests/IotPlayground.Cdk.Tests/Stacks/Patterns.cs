using Amazon.CDK.Assertions;

namespace IotPlayground.Cdk.Tests.Stacks;

/// <summary>Short forms of the assertion matchers the stack tests use again and again.</summary>
internal static class Patterns
{
    public static Matcher Like(params (string Key, object Value)[] properties) =>
        Match.ObjectLike(properties.ToDictionary(p => p.Key, p => p.Value));

    public static Matcher With(params object[] items) => Match.ArrayWith(items);

    /// <summary>A task definition whose first container has these environment variables and secrets.</summary>
    public static Dictionary<string, object> Container(object[] environment, object[] secrets) => new()
    {
        ["ContainerDefinitions"] = With(Like(("Environment", With(environment)), ("Secrets", With(secrets)))),
    };

    public static Matcher Variable(string name, object value) => Like(("Name", name), ("Value", value));

    public static Matcher Secret(string name) => Like(("Name", name), ("ValueFrom", Match.AnyValue()));

    /// <summary>The logical ids under which the master secret can be referenced: the secret and its attachment to the database.</summary>
    public static string[] MasterSecretLogicalIds(this IotPlayground.Cdk.Stacks.EcsBackendStack stack) =>
        [.. stack.DatabaseSecret.Node.FindAll().OfType<Amazon.CDK.CfnElement>().Select(stack.GetLogicalId)
            .Concat(stack.Node.FindAll().OfType<Amazon.CDK.AWS.SecretsManager.CfnSecretTargetAttachment>().Select(stack.GetLogicalId))];
}
