using System.Text.RegularExpressions;

namespace IotPlayground.Cdk.Tests;

/// <summary>A newcomer needs two commands from the README: one runs the playground, one every test, as CI does.</summary>
public sealed partial class NewcomerCommandsTests
{
    private const string PlaygroundCommand = "bash apps/playground.sh";
    private const string TestCommand = "bash tests/run-all.sh";
    private const string InstallCommand = "bash tests/scripts/install-prerequisites.sh";

    private static readonly string Root = RepositoryRoot.Locate(AppContext.BaseDirectory);

    [Fact]
    public void TheSetUpSectionGivesExactlyThePlaygroundAndTheTestCommand()
    {
        var readme = File.ReadAllText(Path.Combine(Root, "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("\n## Set-up on a fresh machine\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no 'Set-up on a fresh machine' section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];

        var commands = ShellBlock().Matches(section)
            .SelectMany(block => block.Groups["body"].Value.Split('\n'))
            .Select(line => line.Split('#')[0].Trim())
            .Where(line => line.Length > 0);

        Assert.Equal([PlaygroundCommand, TestCommand], commands);
    }

    [Fact]
    public void CiRunsExactlyTheReadmesTestCommand() =>
        Assert.Equal(TestCommand, Commands(".ci/run").Last());

    [Theory]
    [InlineData("apps/playground.sh")]
    [InlineData("tests/run-all.sh")]
    public void EachCommandInstallsWhatItNeedsBeforeItBuilds(string script)
    {
        var commands = Commands(script).ToList();
        var install = commands.IndexOf(InstallCommand);
        var firstTool = commands.FindIndex(line => line.Contains("dotnet ", StringComparison.Ordinal) || line.Contains("npx ", StringComparison.Ordinal));

        Assert.True(install >= 0, $"{script} does not run {InstallCommand}.");
        Assert.True(install < firstTool, $"{script} runs dotnet or npx before it installs what they need.");
    }

    /// <summary>A script's lines without comments, blank lines and the shell's own set-up.</summary>
    private static IEnumerable<string> Commands(string script) => File.ReadLines(Path.Combine(Root, script))
        .Select(line => line.Trim())
        .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.StartsWith("set ", StringComparison.Ordinal)
            && !line.StartsWith("cd ", StringComparison.Ordinal));

    [GeneratedRegex("```sh\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ShellBlock();
}
