namespace IotPlayground.Lambda.Functions;

internal static class Routes
{
    /// <summary>The path's segments, so that routes read as list patterns: <c>["api", "runs", var id]</c>.</summary>
    public static string[] Segments(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);
}
