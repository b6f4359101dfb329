using System.Diagnostics;
using System.Reflection;
using IotPlayground.Lambda;

namespace IotPlayground.LambdaHost;

/// <summary>
/// <c>publish FOLDER [x86_64|arm64]</c>: publishes both functions as the CDK's bundling does (Native AOT, with the same
/// arguments), into FOLDER/RunApi and FOLDER/SensorApi, for the host to run what AWS would run
/// (<c>--LambdaHost:RunApiBootstrap=FOLDER/RunApi/bootstrap</c> and the same for SensorApi).
/// </summary>
public static class FunctionPublishing
{
    public const string Verb = "publish";

    public static async Task<int> RunAsync(IReadOnlyList<string> arguments)
    {
        if (arguments is not [Verb, var folder, ..] || arguments.Count > 3)
        {
            await Console.Error.WriteLineAsync($"usage: {Verb} FOLDER [{string.Join('|', LambdaPublish.Architectures)}]");
            return 2;
        }

        var architecture = arguments.Count == 3 ? arguments[2] : LambdaPublish.HostArchitecture ?? LambdaPublish.X64;
        var toolchain = LambdaPublish.ToolchainArguments(architecture);
        if (toolchain is null)
        {
            await Console.Error.WriteLineAsync(
                $"This machine has no C toolchain that links {architecture} executables: Native AOT needs clang or gcc " +
                "(for arm64 on x86-64: gcc-aarch64-linux-gnu and libc6-dev-arm64-cross).");
            return 1;
        }

        foreach (var function in new[] { LocalFunctions.RunApi, LocalFunctions.SensorApi })
        {
            var output = Path.GetFullPath(Path.Combine(folder, function));
            var project = typeof(FunctionPublishing).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == function + "Project").Value!;
            var exitCode = await DotNetPublishAsync([project, .. LambdaPublish.Arguments(architecture), .. toolchain, "-o", output]);
            if (exitCode != 0)
            {
                await Console.Error.WriteLineAsync($"Publishing {function} failed (dotnet publish exit code {exitCode}); its output is above.");
                return exitCode;
            }

            Console.WriteLine(Path.Combine(output, "bootstrap"));
        }

        return 0;
    }

    /// <summary>Build output goes to stderr: stdout carries only the bootstrap paths, for scripts.</summary>
    private static async Task<int> DotNetPublishAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true };
        start.ArgumentList.Add("publish");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is not null)
            {
                Console.Error.WriteLine(line.Data);
            }
        };
        process.BeginOutputReadLine();
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
