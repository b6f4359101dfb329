using System.Diagnostics;

namespace IotPlayground.Cdk.Tests;

/// <summary>
/// Both workflows pass the workflow schema (npm @action-validator/cli): GitHub refuses a workflow that does not, and
/// only when it runs.
/// </summary>
public sealed class WorkflowSchemaTests
{
    private static readonly string RepositoryRoot = Cdk.RepositoryRoot.Locate(AppContext.BaseDirectory);

    [Theory]
    [InlineData("ci.yml")]
    [InlineData("deploy.yml")]
    public void TheWorkflowPassesTheSchema(string workflow)
    {
        var (exitCode, output) = Validate(Path.Combine(RepositoryRoot, ".github", "workflows", workflow));

        Assert.True(exitCode == 0, $"{workflow}:{Environment.NewLine}{output}");
    }

    [Fact]
    public void TheValidatorRefusesAWorkflowThatBreaksTheSchema()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.yml");
        File.WriteAllText(broken, "on:\n  workflow_dispatch:\n    inputs:\n      action:\n        type: choice\njobs: {}\n");
        try
        {
            Assert.NotEqual(0, Validate(broken).ExitCode);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private static (int ExitCode, string Output) Validate(string workflow)
    {
        var validator = Path.Combine(RepositoryRoot, "node_modules", ".bin", "action-validator");
        using var process = Process.Start(new ProcessStartInfo(validator, [workflow])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"{validator} did not start; run npm ci.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
