using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using LambdaArchitecture = Amazon.CDK.AWS.Lambda.Architecture;

namespace IotPlayground.Cdk.Constructs;

public sealed record DotNetLambdaProps
{
    /// <summary>Absolute path of the repository root: the build context of the project.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The function's project, relative to the repository root.</summary>
    public required string ProjectPath { get; init; }

    public required string Description { get; init; }

    public required int MemoryMiB { get; init; }

    public required Duration Timeout { get; init; }

    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required RetentionDays LogRetention { get; init; }

    public required RemovalPolicy LogRemovalPolicy { get; init; }
}

/// <summary>
/// A Lambda function for the <c>provided.al2023</c> runtime whose code is a self-contained
/// <c>bootstrap</c> executable published from a .NET project of this repository: with the local SDK
/// when there is one, in the .NET SDK container image otherwise. The project sets
/// <c>AssemblyName=bootstrap</c> itself: a command-line property would rename its references too.
/// </summary>
public sealed class DotNetLambda : Construct
{
    /// <summary>The SDK image used when this machine has no .NET SDK; matches global.json's major version.</summary>
    public const string SdkImage = "mcr.microsoft.com/dotnet/sdk:10.0";

    private static readonly string[] PublishArguments =
        ["-c", "Release", "-r", "linux-x64", "--self-contained"];

    public DotNetLambda(Construct scope, string id, DotNetLambdaProps props)
        : base(scope, id)
    {
        if (Stack.Of(this).BundlingRequired)
        {
            RepositoryAsset.RequireFile(
                props.RepositoryRoot,
                props.ProjectPath,
                $"bundling the Lambda function {Node.Path} (for templates only, skip bundling: npx cdk synth -c bundling=false)");
        }

        LogGroup = new LogGroup(this, "Logs", new LogGroupProps
        {
            Retention = props.LogRetention,
            RemovalPolicy = props.LogRemovalPolicy,
        });

        // A role of its own without AWS's managed basic-execution policy: writing to its own log group is all it needs.
        var role = new Role(this, "Role", new RoleProps { AssumedBy = new ServicePrincipal("lambda.amazonaws.com") });
        LogGroup.GrantWrite(role);

        Function = new Function(this, "Function", new FunctionProps
        {
            Role = role,
            Description = props.Description,
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = LambdaArchitecture.X86_64,
            Handler = "bootstrap",
            Code = Code.FromAsset(props.RepositoryRoot, new Amazon.CDK.AWS.S3.Assets.AssetOptions
            {
                Exclude = [.. RepositoryAsset.Exclusions],
                AssetHashType = AssetHashType.SOURCE,
                Bundling = Bundling(props.RepositoryRoot, props.ProjectPath),
            }),
            MemorySize = props.MemoryMiB,
            Timeout = props.Timeout,
            Environment = props.Environment.ToDictionary(),
            LogGroup = LogGroup,
        });
    }

    public Function Function { get; }

    public ILogGroup LogGroup { get; }

    private static BundlingOptions Bundling(string repositoryRoot, string projectPath)
    {
        // The container mounts the repository at /asset-input; intermediate files go to /tmp so that
        // the container leaves no obj/ with its own absolute paths in the working tree.
        var containerProject = "/asset-input/" + projectPath.Replace('\\', '/');
        return new BundlingOptions
        {
            Local = new DotNetLocalBundling(Path.GetFullPath(Path.Combine(repositoryRoot, projectPath)), PublishArguments),
            Image = DockerImage.FromRegistry(SdkImage),
            Command =
            [
                "dotnet", "publish", containerProject, .. PublishArguments,
                "--artifacts-path", "/tmp/artifacts", "-o", "/asset-output",
            ],
            Environment = new Dictionary<string, string>
            {
                ["DOTNET_CLI_HOME"] = "/tmp/dotnet-home",
                ["NUGET_PACKAGES"] = "/tmp/nuget-packages",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
            },
        };
    }
}
