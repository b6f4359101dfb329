using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using IotPlayground.Lambda;
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

    /// <summary>Lambda's name of the architecture to build and run on: <see cref="LambdaPublish.X64"/> or <see cref="LambdaPublish.Arm64"/>.</summary>
    public required string Architecture { get; init; }

    public required Duration Timeout { get; init; }

    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    public required RetentionDays LogRetention { get; init; }

    public required RemovalPolicy LogRemovalPolicy { get; init; }
}

/// <summary>
/// A Lambda function for the <c>provided.al2023</c> runtime whose code is a Native AOT <c>bootstrap</c> executable
/// published from a .NET project of this repository (<see cref="LambdaPublish"/>): with the local SDK and C toolchain
/// when there are some, in an Amazon Linux 2023 build image otherwise. The project sets
/// <c>AssemblyName=bootstrap</c> itself: a command-line property would rename its references too.
/// </summary>
public sealed class DotNetLambda : Construct
{
    /// <summary>
    /// The folder, relative to the repository root, of the image the container fallback publishes in: Amazon Linux
    /// 2023 with the .NET SDK and clang, so that the executable links against the C library Lambda runs it with.
    /// </summary>
    public const string BuildImageFolder = "lambdas/build-image";

    public DotNetLambda(Construct scope, string id, DotNetLambdaProps props)
        : base(scope, id)
    {
        var architecture = LambdaArchitectureOf(props.Architecture, Node.Path);
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
            Architecture = architecture,
            Handler = "bootstrap",
            Code = Code.FromAsset(props.RepositoryRoot, new Amazon.CDK.AWS.S3.Assets.AssetOptions
            {
                Exclude = [.. RepositoryAsset.Exclusions],
                AssetHashType = AssetHashType.SOURCE,
                Bundling = Bundling(props, architecture),
            }),
            MemorySize = props.MemoryMiB,
            Timeout = props.Timeout,
            Environment = props.Environment.ToDictionary(),
            LogGroup = LogGroup,
        });
    }

    public Function Function { get; }

    public ILogGroup LogGroup { get; }

    /// <summary>The command the build image runs: the same publish as the local one, natively for the architecture.</summary>
    public static IReadOnlyList<string> ContainerCommand(string projectPath, string architecture) =>
    [
        "dotnet", "publish", "/asset-input/" + projectPath.Replace('\\', '/'), .. LambdaPublish.Arguments(architecture),
        "--artifacts-path", "/tmp/artifacts", "-o", "/asset-output",
    ];

    private static LambdaArchitecture LambdaArchitectureOf(string architecture, string path) => architecture switch
    {
        LambdaPublish.X64 => LambdaArchitecture.X86_64,
        LambdaPublish.Arm64 => LambdaArchitecture.ARM_64,
        _ => throw new ArgumentException(
            $"{path}: architecture '{architecture}' is not a Lambda architecture; use {string.Join(" or ", LambdaPublish.Architectures)}."),
    };

    private BundlingOptions Bundling(DotNetLambdaProps props, LambdaArchitecture architecture)
    {
        var local = new DotNetLocalBundling(Path.GetFullPath(Path.Combine(props.RepositoryRoot, props.ProjectPath)), props.Architecture);

        // DockerImage.FromBuild builds at once: as the CDK's own NodejsFunction does, the image is built only when this
        // machine cannot publish the function itself, and a placeholder that is never run stands in otherwise.
        // The container runs on the function's own platform (emulated if need be), so it never cross-compiles.
        var platform = architecture.DockerPlatform;
        var image = Stack.Of(this).BundlingRequired && !local.CanPublish
            ? DockerImage.FromBuild(Path.Combine(props.RepositoryRoot, BuildImageFolder), new DockerBuildOptions { Platform = platform })
            : DockerImage.FromRegistry("unused-local-bundling");

        // The container mounts the repository at /asset-input; intermediate files go to /tmp so that it leaves no obj/
        // with its own absolute paths in the working tree.
        return new BundlingOptions
        {
            Local = local,
            Image = image,
            Platform = platform,
            Command = [.. ContainerCommand(props.ProjectPath, props.Architecture)],
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
