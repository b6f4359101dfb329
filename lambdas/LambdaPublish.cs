namespace IotPlayground.Lambda;

/// <summary>
/// How a function of lambdas/ is published for Lambda. The CDK's bundling (local and in its container), the local
/// host's published mode and the cold-start bench all publish with these arguments, so each runs the bootstrap the
/// asset holds. The project settings behind them (Native AOT, symbols left out) are in lambdas/Directory.Build.props.
/// Compiled into each of those projects as a linked file.
/// </summary>
public static class LambdaPublish
{
    /// <summary>Lambda's name for the x86-64 architecture, as cdk.json and CloudFormation spell it.</summary>
    public const string X64 = "x86_64";

    /// <summary>Lambda's name for Graviton (64-bit Arm).</summary>
    public const string Arm64 = "arm64";

    public static IReadOnlyList<string> Architectures { get; } = [X64, Arm64];

    /// <summary>The .NET runtime identifier of a Lambda architecture.</summary>
    public static string RuntimeIdentifier(string architecture) => architecture switch
    {
        X64 => "linux-x64",
        Arm64 => "linux-arm64",
        _ => throw new ArgumentException(
            $"Unknown Lambda architecture '{architecture}'; expected one of {string.Join(", ", Architectures)}.",
            nameof(architecture)),
    };

    /// <summary>The architecture of this machine in Lambda's terms, or null when Lambda has no such architecture.</summary>
    public static string? HostArchitecture => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => X64,
        System.Runtime.InteropServices.Architecture.Arm64 => Arm64,
        _ => null,
    };

    /// <summary>
    /// <c>dotnet publish &lt;project&gt;</c> arguments (before <c>-o</c>) for a Native AOT bootstrap of the architecture.
    /// </summary>
    public static IReadOnlyList<string> Arguments(string architecture) =>
        ["-c", "Release", "-r", RuntimeIdentifier(architecture)];

    /// <summary>
    /// Which C toolchain links the executable on this machine, as extra <c>dotnet publish</c> arguments; null when it has
    /// none for the architecture. Its own architecture needs clang or gcc. arm64 on an x86-64 machine needs clang, which
    /// targets aarch64-linux-gnu and finds Debian's cross C library and gcc runtime (libc6-dev-arm64-cross,
    /// gcc-aarch64-linux-gnu), and that toolchain's objcopy (binutils-aarch64-linux-gnu) to strip the symbols.
    /// </summary>
    public static IReadOnlyList<string>? ToolchainArguments(string architecture)
    {
        if (architecture == HostArchitecture)
        {
            return OnPath("clang") || OnPath("gcc") ? [] : null;
        }

        return architecture == Arm64 && HostArchitecture == X64 && OnPath("clang") && OnPath(Arm64CrossObjCopy) && OnPath("aarch64-linux-gnu-gcc")
            ? [$"-p:ObjCopyName={Arm64CrossObjCopy}"]
            : null;
    }

    private const string Arm64CrossObjCopy = "aarch64-linux-gnu-objcopy";

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, program)));
}
