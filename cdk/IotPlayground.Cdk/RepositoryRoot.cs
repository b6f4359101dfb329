namespace IotPlayground.Cdk;

/// <summary>Finds the repository root, the build context of every app the stacks ship.</summary>
public static class RepositoryRoot
{
    private const string Marker = "cdk.json";

    /// <summary>Walks up from <paramref name="start"/> to the first folder holding cdk.json.</summary>
    public static string Locate(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, Marker)))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No {Marker} in {start} or any folder above it; run the app from the repository.");
    }
}
