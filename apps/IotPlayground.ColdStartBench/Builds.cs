using System.Diagnostics;
using System.IO.Compression;
using IotPlayground.Lambda;

namespace IotPlayground.ColdStartBench;

/// <summary>One of the two functions: its project and the request its cold start is timed on.</summary>
internal sealed record LambdaFunction(string Name, string Project, string Resource);

/// <summary>How a build is made: Native AOT as the CDK ships it, or one of the comparison builds.</summary>
internal sealed record BuildKind(string Name, string Description);

/// <summary>One build of one function: where its bootstrap is, and the size of the package Lambda would get.</summary>
internal sealed record Build(LambdaFunction Function, BuildKind Kind, string Bootstrap, long PackageBytes, long ZippedBytes);

internal static class Builds
{
    public static readonly LambdaFunction RunApi = new("RunApi", "lambdas/IotPlayground.RunApi/IotPlayground.RunApi.csproj", "/api/runs/{proxy+}");

    public static readonly LambdaFunction SensorApi =
        new("SensorApi", "lambdas/IotPlayground.SensorApi/IotPlayground.SensorApi.csproj", "/api/sensors/{proxy+}");

    public static readonly BuildKind Aot = new("aot", "Native AOT (the CDK asset)");
    public static readonly BuildKind ReadyToRun = new("readytorun", "self-contained, trimmed, ReadyToRun");
    public static readonly BuildKind Jit = new("jit", "framework-dependent, JIT");

    public static IReadOnlyList<BuildKind> Kinds { get; } = [Aot, ReadyToRun, Jit];

    /// <summary>
    /// The publish arguments of a build. Native AOT takes the CDK's own (LambdaPublish) for this machine's architecture,
    /// so the bench times the bootstrap the asset holds; the other two switch AOT off from there.
    /// </summary>
    private static IReadOnlyList<string> Arguments(BuildKind kind)
    {
        var architecture = LambdaPublish.HostArchitecture
            ?? throw new InvalidOperationException("Lambda has no functions for this machine's architecture.");
        var runtimeIdentifier = LambdaPublish.RuntimeIdentifier(architecture);
        return kind == Aot
            ? [.. LambdaPublish.Arguments(architecture), .. LambdaPublish.ToolchainArguments(architecture)
                ?? throw new InvalidOperationException("Native AOT needs a C toolchain: install clang or gcc.")]
            : kind == ReadyToRun
                ? ["-c", "Release", "-r", runtimeIdentifier, "--self-contained", "-p:PublishAot=false", "-p:PublishTrimmed=true", "-p:PublishReadyToRun=true"]
                : ["-c", "Release", "--no-self-contained", "-p:PublishAot=false"];
    }

    public static async Task<Build> PublishAsync(string repository, string work, LambdaFunction function, BuildKind kind)
    {
        var output = Path.Combine(work, kind.Name, function.Name);
        Console.Error.WriteLine($"Publishing {function.Name} ({kind.Description}) to {output}...");

        // Intermediate files of their own per kind, since builds with other settings must not share (and spoil) one obj/;
        // kept in .local/ so that the next run's publishes are incremental (an AOT compile from scratch takes minutes).
        await Processes.RunAsync("dotnet", [
            "publish", Path.Combine(repository, function.Project), .. Arguments(kind),
            "--artifacts-path", Path.Combine(repository, ".local", "cold-start-bench", kind.Name), "-o", output]);
        if (File.Exists(Path.Combine(output, "bootstrap.dll")) == (kind == Aot))
        {
            throw new InvalidOperationException($"The {kind.Name} build of {function.Name} in {output} is not what it should be: " +
                (kind == Aot ? "a managed bootstrap.dll beside the native bootstrap." : "no managed bootstrap.dll."));
        }

        var zip = output + ".zip";
        ZipFile.CreateFromDirectory(output, zip, CompressionLevel.Optimal, includeBaseDirectory: false);
        var packageBytes = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        return new Build(function, kind, Path.Combine(output, "bootstrap"), packageBytes, new FileInfo(zip).Length);
    }
}

internal static class Processes
{
    /// <summary>Runs a command to its end; its output is shown only if it fails.</summary>
    public static async Task<string> RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed:{Environment.NewLine}{await output}{await error}");
        }

        return (await output).Trim();
    }
}

internal static class Repository
{
    public static string Root()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "IotPlayground.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("Run the benchmark from the repository: IotPlayground.sln was not found above it.");
    }
}

internal sealed class TemporaryFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("iotplayground-coldstart-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
