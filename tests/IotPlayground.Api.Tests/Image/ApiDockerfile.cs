using System.Text.RegularExpressions;
using System.Xml.Linq;
using IotPlayground.Testing;

namespace IotPlayground.Api.Tests.Image;

/// <summary>
/// No Docker engine runs where the tests do, so nothing builds the API's image before <c>cdk deploy</c> does: a project
/// the API comes to reference but the Dockerfile does not copy would break the deploy, and only there.
/// </summary>
public sealed partial class ApiDockerfile
{
    private const string ApiProject = "apps/IotPlayground.Api/IotPlayground.Api.csproj";

    private static readonly string[] Instructions = ReadInstructions(Repository.Path("apps", "IotPlayground.Api", "Dockerfile"));

    [Fact]
    public void CopiesTheProjectFileOfEveryProjectTheApiReferencesBeforeItRestores()
    {
        var copied = CopiedBefore("RUN dotnet restore");

        Assert.All(ReferenceClosure(ApiProject), project => Assert.Contains(project, copied));
    }

    [Fact]
    public void CopiesTheSourceOfEveryProjectTheApiReferencesBeforeItPublishes()
    {
        var copied = CopiedBefore("RUN dotnet publish");

        Assert.All(ReferenceClosure(ApiProject), project => Assert.Contains(Path.GetDirectoryName(project)!.Replace('\\', '/') + "/", copied));
    }

    [Fact]
    public void TheReferenceClosureFollowsReferencesOfReferences()
    {
        // The container API reaches the domain only through its store and contract projects too; the closure must
        // hold every project a reference names, at any depth, each once.
        var closure = ReferenceClosure(ApiProject);

        Assert.Contains(ApiProject, closure);
        Assert.All(closure, project => Assert.All(DirectReferences(project), reference => Assert.Contains(reference, closure)));
        Assert.Equal(closure.Distinct(StringComparer.Ordinal).Count(), closure.Count);
    }

    /// <summary>The project and every project it references, at any depth, as paths from the repository root.</summary>
    private static List<string> ReferenceClosure(string project)
    {
        var found = new List<string>();
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!found.Contains(next, StringComparer.Ordinal))
            {
                found.Add(next);
                foreach (var reference in DirectReferences(next))
                {
                    pending.Push(reference);
                }
            }
        }

        return found;
    }

    private static IEnumerable<string> DirectReferences(string project)
    {
        var folder = Path.GetDirectoryName(Repository.Path(project))!;
        return XDocument.Load(Repository.Path(project))
            .Descendants("ProjectReference")
            .Select(reference => Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(folder, reference.Attribute("Include")!.Value)))
                .Replace('\\', '/'));
    }

    /// <summary>
    /// The sources of the COPY instructions (from the build context, not from another stage) that come before the
    /// first instruction starting with <paramref name="instruction"/>; each copied to the same path under the work folder,
    /// so that the references' relative paths hold in the image as in the repository.
    /// </summary>
    private static HashSet<string> CopiedBefore(string instruction)
    {
        var end = Array.FindIndex(Instructions, i => i.StartsWith(instruction, StringComparison.Ordinal));
        Assert.True(end >= 0, $"The Dockerfile has no '{instruction}'.");
        var copied = new HashSet<string>(StringComparer.Ordinal);
        foreach (var copy in Instructions.Take(end).Where(i => i.StartsWith("COPY ", StringComparison.Ordinal) && !i.Contains("--from=", StringComparison.Ordinal)))
        {
            var arguments = copy.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..];
            var destination = arguments[^1];
            foreach (var source in arguments[..^1])
            {
                var lands = destination.EndsWith('/') && !source.EndsWith('/') ? destination + Path.GetFileName(source) : destination;
                if (destination == "./" ? !source.Contains('/', StringComparison.Ordinal) : lands == source)
                {
                    copied.Add(source);
                }
            }
        }

        return copied;
    }

    /// <summary>The Dockerfile's instructions, one per entry, continuation lines joined and comments left out.</summary>
    private static string[] ReadInstructions(string dockerfile)
    {
        var text = ContinuedLine().Replace(File.ReadAllText(dockerfile), " ");
        return text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToArray();
    }

    [GeneratedRegex(@"\\\r?\n")]
    private static partial Regex ContinuedLine();
}
