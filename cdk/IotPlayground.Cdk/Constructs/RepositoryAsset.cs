namespace IotPlayground.Cdk.Constructs;

/// <summary>
/// The apps are built with the repository root as their context (they share Directory.*.props and
/// the domain library). These paths never belong in a build context: leaving them out keeps asset
/// hashes stable across builds and keeps cdk.out from being hashed into itself.
/// </summary>
public static class RepositoryAsset
{
    public static IReadOnlyList<string> Exclusions { get; } =
    [
        ".git",
        ".github",
        ".ci",
        ".local",
        ".vs",
        "cdk.out",
        "cdk",
        "tests",
        "apps/grafana",
        "apps/prometheus",
        "**/node_modules",
        "**/bin",
        "**/obj",
        "**/TestResults",
    ];

    /// <summary>Throws a message naming the missing file and the command that uses it.</summary>
    public static string RequireFile(string repositoryRoot, string relativePath, string neededFor)
    {
        var fullPath = Path.GetFullPath(Path.Combine(repositoryRoot, relativePath));
        return File.Exists(fullPath)
            ? fullPath
            : throw new InvalidOperationException(
                $"{relativePath} does not exist under {repositoryRoot}, but {neededFor} needs it. " +
                "Add it, or check the path in the CDK app.");
    }
}
