using System.Diagnostics;

namespace IotPlayground.ColdStartBench;

/// <summary>One build of the run function: where its bootstrap is, and how it was built.</summary>
internal sealed record Build(string Name, string Description, string Bootstrap);

internal static class Builds
{
    private const string RunApiProject = "lambdas/IotPlayground.RunApi/IotPlayground.RunApi.csproj";

    public static async Task<Build> PublishAsync(string repository, string work, string name, string description, IReadOnlyList<string> options)
    {
        var output = Path.Combine(work, name);
        Console.Error.WriteLine($"Publishing the run function ({description}) to {output}...");
        // Intermediate files of its own: builds with other settings must not share (and spoil) the working tree's obj/.
        await Processes.RunAsync("dotnet", [
            "publish", Path.Combine(repository, RunApiProject), "-c", "Release", .. options,
            "--artifacts-path", Path.Combine(work, name + "-artifacts"), "-o", output]);
        return new Build(name, description, Path.Combine(output, "bootstrap"));
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
