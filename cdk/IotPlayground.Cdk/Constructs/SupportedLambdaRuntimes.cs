using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Amazon.JSII.Runtime.Deputy;
using Constructs;

namespace IotPlayground.Cdk.Constructs;

/// <summary>
/// Moves the CDK's own handlers (the default security group's clean-up, bucket emptying on destroy, the page upload)
/// off the runtimes that this CDK version still picks but AWS deprecates. Overriding their runtime keeps what the
/// constructs do, which hand-written replacements would have to copy; the handlers use only the AWS SDK that every
/// newer runtime of their language ships. One place to change when AWS deprecates the next version. (DeputyBase:
/// jsii calls back into C# aspects only through it.)
/// </summary>
public sealed class SupportedLambdaRuntimes : DeputyBase, IAspect
{
    public const string NodeRuntime = "nodejs24.x";
    public const string PythonRuntime = "python3.13";

    private const string FunctionType = "AWS::Lambda::Function";

    public void Visit(IConstruct node)
    {
        switch (node)
        {
            // The CDK's Python handlers (BucketDeployment) are ordinary functions whose runtime can be read.
            case CfnFunction { Runtime: { } runtime } function when runtime.StartsWith("python", StringComparison.Ordinal):
                function.Runtime = PythonRuntime;
                break;
            case CfnFunction { Runtime: { } runtime } function when runtime.StartsWith("nodejs", StringComparison.Ordinal):
                function.Runtime = NodeRuntime;
                break;

            // The CDK's custom resource providers write their function as a plain CfnResource, always Node.js.
            case CfnResource resource and not CfnFunction when resource.CfnResourceType == FunctionType:
                resource.AddPropertyOverride("Runtime", NodeRuntime);
                break;
        }
    }
}
