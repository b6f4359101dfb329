using System.Diagnostics;
using System.Text.RegularExpressions;

namespace IotPlayground.Grafana.Tests;

/// <summary>
/// apps/grafana/entrypoint.sh, run as the image runs it (POSIX sh) with a command that prints what Grafana would
/// be started with. Its checks are what stands between a missing setting and a Grafana whose panels all fail.
/// </summary>
public sealed partial class EntrypointTests
{
    private static readonly string Entrypoint = Path.Combine(Repository.Grafana, "entrypoint.sh");

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public async Task TheArchitectureChoosesTheProvisioningAndDashboardsFolders(string architecture)
    {
        var result = await Run(architecture, EnvironmentFor(architecture));

        Assert.Equal(0, result.ExitCode);
        var (provisioning, dashboards, home) = Split(result.Output);
        Assert.Equal(Path.GetFullPath(Provisioning.Folder(architecture)), Path.GetFullPath(provisioning));
        Assert.Equal(Path.GetFullPath(Path.Combine(Repository.Grafana, "dashboards", architecture)), Path.GetFullPath(dashboards));
        Assert.True(File.Exists(home), $"The home dashboard {home} does not exist.");
    }

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public void TheDashboardProviderReadsTheFolderTheEntrypointChooses(string architecture)
    {
        var provider = Assert.Single(Provisioning.DashboardProviders(architecture));
        var options = (YamlDotNet.RepresentationModel.YamlMappingNode)provider.Children[new YamlDotNet.RepresentationModel.YamlScalarNode("options")];

        Assert.Equal("${IOT_DASHBOARDS}", Provisioning.Scalar(options, "path"));
        Assert.Equal("file", Provisioning.Scalar(provider, "type"));
        Assert.Equal("false", Provisioning.Scalar(provider, "allowUiUpdates"));
    }

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public async Task ItRefusesToStartWithoutASettingTheDatasourcesRead(string architecture)
    {
        var settings = SettingsReadBy(Provisioning.DatasourcesFile(architecture));
        Assert.NotEmpty(settings);

        foreach (var setting in settings)
        {
            var environment = EnvironmentFor(architecture);
            environment.Remove(setting);
            var result = await Run(architecture, environment);

            Assert.Equal(64, result.ExitCode);
            Assert.Contains(setting, result.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Architecture.All), MemberType = typeof(Architecture))]
    public async Task ItRefusesToStartWithTheDefaultAdminPassword(string architecture)
    {
        var environment = EnvironmentFor(architecture);
        environment.Remove("GF_SECURITY_ADMIN_PASSWORD");

        var result = await Run(architecture, environment);

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("GF_SECURITY_ADMIN_PASSWORD", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("lambda")]
    [InlineData("ECS")]
    public async Task ItRefusesAnUnknownArchitecture(string architecture)
    {
        var result = await Run(architecture, EnvironmentFor(Architecture.Ecs));

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("IOT_ARCHITECTURE", result.Error, StringComparison.Ordinal);
    }

    /// <summary>What the Grafana stack sets, for one architecture; values are placeholders.</summary>
    private static Dictionary<string, string> EnvironmentFor(string architecture)
    {
        var environment = new Dictionary<string, string> { ["GF_SECURITY_ADMIN_PASSWORD"] = "not-the-default" };
        foreach (var setting in SettingsReadBy(Provisioning.DatasourcesFile(architecture)))
        {
            environment[setting] = "set";
        }

        return environment;
    }

    private static List<string> SettingsReadBy(string provisioningFile) =>
        EnvironmentReference().Matches(string.Join('\n', File.ReadLines(provisioningFile).Where(l => !l.TrimStart().StartsWith('#'))))
            .Select(m => m.Groups["name"].Value)
            .Distinct()
            .ToList();

    private static (string Provisioning, string Dashboards, string Home) Split(string output)
    {
        var parts = output.Trim().Split('|');
        Assert.Equal(3, parts.Length);
        return (parts[0], parts[1], parts[2]);
    }

    private static async Task<(int ExitCode, string Output, string Error)> Run(string architecture, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("sh", [Entrypoint, "sh", "-c", "printf '%s|%s|%s' \"$GF_PATHS_PROVISIONING\" \"$IOT_DASHBOARDS\" \"$GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH\""])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        start.Environment["IOT_ARCHITECTURE"] = architecture;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"\$\{(?<name>[A-Z][A-Z0-9_]*)\}")]
    private static partial Regex EnvironmentReference();
}
