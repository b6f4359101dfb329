using System.Diagnostics;
using System.Text.Json.Nodes;
using IotPlayground.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IotPlayground.Api.Tests.OpenApi;

/// <summary>
/// The OpenAPI document the container API serves lints clean with Redocly CLI's recommended rules (npm @redocly/cli):
/// no error and no warning; the rules turned off are in redocly.yaml beside this file, each with its reason.
/// </summary>
public sealed class OpenApiDocumentLint
{
    [Fact]
    public async Task TheServedDocumentLintsCleanWithTheRecommendedRules()
    {
        var folder = Directory.CreateTempSubdirectory("iotplayground-openapi-lint-").FullName;
        try
        {
            var document = Path.Combine(folder, "openapi.json");
            await File.WriteAllTextAsync(document, await ServedDocumentAsync());

            var (exitCode, output) = await LintAsync(document);

            var report = JsonNode.Parse(output)!;
            var problems = ((JsonArray)report["problems"]!)
                .Select(p => $"{p!["severity"]} {p["ruleId"]}: {p["message"]} at {p["location"]?[0]?["pointer"]}");
            Assert.True(
                (int)report["totals"]!["errors"]! == 0 && (int)report["totals"]!["warnings"]! == 0 && exitCode == 0,
                string.Join(Environment.NewLine, problems));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> ServedDocumentAsync()
    {
        var database = await TestPostgres.CreateDatabaseAsync("openapi");
        await using var api = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host
            .UseSetting("ConnectionStrings:Postgres", database)
            .UseSetting("Grafana:BaseUrl", "https://grafana.test")
            .UseSetting("Logging:LogLevel:Default", "Warning"));
        using var client = api.CreateClient();
        return await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
    }

    private static async Task<(int ExitCode, string Output)> LintAsync(string document)
    {
        var cli = Repository.Path("node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(cli), "Redocly CLI is not installed: run tests/scripts/install-prerequisites.sh");
        var start = new ProcessStartInfo("node", [cli, "lint", "--config", Repository.Path("tests", "IotPlayground.Api.Tests", "OpenApi", "redocly.yaml"), "--format", "json", document])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        // Offline: no usage report, no check for a newer version.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output;
        Assert.True(text.TrimStart().StartsWith('{'), $"Redocly CLI failed ({process.ExitCode}): {await error}");
        return (process.ExitCode, text);
    }
}
