namespace IotPlayground.Cdk.Tests;

/// <summary>
/// The tables' key and index names are written once, in apps/IotPlayground.DynamoDb, and the CDK app compiles that
/// file: a second copy could drift from what the stores query and still synthesize. No synthesis involved.
/// </summary>
public sealed class DynamoDbSchemaTests
{
    private static readonly string Root = RepositoryRoot.Locate(AppContext.BaseDirectory);

    /// <summary>Where C# that touches the tables lives.</summary>
    private static readonly string[] SourceFolders = ["apps", "cdk", "lambdas"];

    [Theory]
    [InlineData("\"RunsByStart\"")]
    [InlineData("\"RunsByStatus\"")]
    [InlineData("\"startKey\"")]
    [InlineData("\"readingKey\"")]
    public void EachNameIsWrittenOnlyInTheStoresSchema(string literal)
    {
        var declaring = SourceFolders
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(file => !IsBuildOutput(file) && File.ReadAllText(file).Contains(literal, StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(Root, file).Replace('\\', '/'));

        Assert.Equal(["apps/IotPlayground.DynamoDb/DynamoDbSchema.Names.cs"], declaring);
    }

    private static bool IsBuildOutput(string file) =>
        Path.GetRelativePath(Root, file).Split('/', '\\').Any(part => part is "bin" or "obj");
}
