using System.Diagnostics;
using Amazon.CDK;
using Amazon.JSII.Runtime.Deputy;
using IotPlayground.Lambda;

namespace IotPlayground.Cdk.Constructs;

/// <summary>
/// Publishes a function's project Native AOT with the SDK and C toolchain of this machine. Returns false when either
/// is missing so that the CDK falls back to bundling in the build image.
/// </summary>
internal sealed class DotNetLocalBundling(string projectFile, string architecture)
    : DeputyBase, ILocalBundling
{
    private readonly IReadOnlyList<string>? _toolchain = LambdaPublish.ToolchainArguments(architecture);

    private readonly Lazy<bool> _sdkIsInstalled = new(SdkIsInstalled);

    /// <summary>Whether this machine has what a Native AOT publish for the architecture needs.</summary>
    public bool CanPublish => _toolchain is not null && _sdkIsInstalled.Value;

    public bool TryBundle(string outputDir, IBundlingOptions options)
    {
        if (!CanPublish)
        {
            return false;
        }

        var exitCode = Run("dotnet", ["publish", projectFile, .. LambdaPublish.Arguments(architecture), .. _toolchain!, "-o", outputDir]);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"dotnet publish {projectFile} failed with exit code {exitCode}; its output is above.");
        }

        return File.Exists(Path.Combine(outputDir, "bootstrap")) && !File.Exists(Path.Combine(outputDir, "bootstrap.dll"))
            ? true
            : throw new InvalidOperationException(
                $"dotnet publish {projectFile} produced no native 'bootstrap' executable alone; set " +
                "<AssemblyName>bootstrap</AssemblyName> in the project (the provided.al2023 runtime starts that file) and keep " +
                "lambdas/Directory.Build.props's PublishAot.");
    }

    private static bool SdkIsInstalled()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("dotnet", "--list-sdks")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }

            var sdks = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0 && sdks.Trim().Length > 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static int Run(string fileName, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo(fileName) { RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");

        // Like the CDK's own bundlers, build output goes to stderr and leaves stdout to the app.
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                Console.Error.WriteLine(line.Data);
            }
        };
        process.BeginOutputReadLine();
        process.WaitForExit();
        return process.ExitCode;
    }
}
