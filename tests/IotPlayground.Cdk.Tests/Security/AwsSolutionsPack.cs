using System.Diagnostics;
using System.Text.Json;

namespace IotPlayground.Cdk.Tests.Security;

/// <summary>One finding of a rule on one resource, named by its construct path in the C# app.</summary>
public sealed record NagFinding(string Plugin, string Path, string Rule, string Severity, string Description)
{
    public override string ToString() => $"[{Rule}] {Path}: {Description} ({Severity})";
}

public sealed record NagReport(IReadOnlyList<string> Templates, IReadOnlyList<NagFinding> Findings);

/// <summary>
/// A finding that is accepted rather than fixed: the rule id exactly as the pack reports it (with the finding's
/// part in brackets for IAM rules), the construct paths it is accepted on, and why.
/// </summary>
public sealed record NagAcknowledgement(string Rule, IReadOnlyList<string> Paths, string Reason)
{
    public bool Covers(NagFinding finding) => finding.Rule == Rule && Paths.Contains(finding.Path);
}

/// <summary>
/// cdk-nag's AwsSolutions pack has no .NET package here: its npm package runs in Node over the synthesized
/// templates (aws-solutions.mjs beside this file), and this class reads what it found.
/// </summary>
public static class AwsSolutionsPack
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static NagReport Run(string repositoryRoot, string assemblyDirectory)
    {
        var script = Path.Combine(repositoryRoot, "tests", "IotPlayground.Cdk.Tests", "Security", "aws-solutions.mjs");
        using var node = Process.Start(new ProcessStartInfo("node", [script, assemblyDirectory])
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("node did not start.");
        var error = node.StandardError.ReadToEndAsync();
        var output = node.StandardOutput.ReadToEnd();
        node.WaitForExit();
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exited with {node.ExitCode}:{Environment.NewLine}{error.Result}");
        }

        return JsonSerializer.Deserialize<NagReport>(output, Json)
            ?? throw new InvalidOperationException($"{script} printed no report.");
    }

    public static IReadOnlyList<NagAcknowledgement> Acknowledgements(string repositoryRoot)
    {
        var file = Path.Combine(repositoryRoot, "tests", "IotPlayground.Cdk.Tests", "Security", "aws-solutions-acknowledgements.json");
        return JsonSerializer.Deserialize<List<NagAcknowledgement>>(File.ReadAllText(file), Json)
            ?? throw new InvalidOperationException($"{file} holds no list.");
    }
}
