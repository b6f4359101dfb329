using System.CommandLine;
using System.Diagnostics;
using IotPlayground.Compare;
using Spectre.Console;

// Runs one workload profile (or several) against both backends, as their users would, and reports latency per
// endpoint, throughput, errors, cold starts and the usage that drives cost, side by side:
//   dotnet run --project apps/IotPlayground.Compare -- [--profile seed] [--ecs URL --serverless URL] [--aot | --functions FOLDER] [--no-build]
//     [--out DIR]
// Without URLs it starts the local playground's two backends itself and stops them after.
var workloadsOption = new Option<FileInfo>("--workloads")
{
    Description = "The file of workload profiles.",
    DefaultValueFactory = _ => new FileInfo(Path.Combine(AppContext.BaseDirectory, "workloads.json")),
};
var profileOption = new Option<string[]>("--profile")
{
    Description = "The profiles to run, in order (seed, busy, burst, smoke).",
    DefaultValueFactory = _ => ["seed"],
    AllowMultipleArgumentsPerToken = true,
};
var ecsOption = new Option<Uri?>("--ecs") { Description = "A deployed container backend's base URL (with --serverless)." };
var serverlessOption = new Option<Uri?>("--serverless") { Description = "A deployed serverless backend's base URL (with --ecs)." };
var aotOption = new Option<bool>("--aot") { Description = "Run the local serverless backend's functions as Native AOT builds, as the CDK ships them." };
var functionsOption = new Option<DirectoryInfo?>("--functions")
{
    Description = "Run the local serverless backend's functions from Native AOT builds already published into this folder.",
};
var noBuildOption = new Option<bool>("--no-build") { Description = "Start the local backends from the solution's Release build as it is." };
var outOption = new Option<DirectoryInfo>("--out")
{
    Description = "Where compare.md, compare.html and compare.json go.",
    DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".local", "compare")),
};

var command = new RootCommand("Compares the container and the serverless backend on the same workload.")
{
    workloadsOption, profileOption, ecsOption, serverlessOption, aotOption, functionsOption, noBuildOption, outOption,
};
command.Validators.Add(result =>
{
    if ((result.GetValue(ecsOption) is null) != (result.GetValue(serverlessOption) is null))
    {
        result.AddError("Give both --ecs and --serverless, or neither (then the local backends are started).");
    }
});
command.SetAction(async (result, cancellationToken) =>
{
    var workloads = WorkloadFile.Load(result.GetValue(workloadsOption)!.FullName);
    var profiles = result.GetValue(profileOption)!.Select(name => workloads[name]).ToList();
    var repository = Repository.Root();
    await using var local = result.GetValue(ecsOption) is null
        ? await AnsiConsole.Status().StartAsync("Building and starting the local backends...", _ =>
            LocalBackends.StartAsync(
                repository,
                new FunctionBuilds(result.GetValue(aotOption), result.GetValue(functionsOption)?.FullName),
                !result.GetValue(noBuildOption),
                cancellationToken))
        : null;
    IReadOnlyList<BackendTarget> targets = local is null
        ?
        [
            new("container", result.GetValue(ecsOption)!, "deployed")
            {
                UsageNotMeasured = "PostgreSQL rows and WAL bytes written are not measured on a deployed target (RDS's own metrics hold them).",
            },
            new("serverless", result.GetValue(serverlessOption)!, "deployed")
            {
                UsageNotMeasured = "Lambda invocations, billed duration and DynamoDB capacity are not measured on a deployed target (CloudWatch holds them: "
                    + "Lambda's Invocations and Duration, the functions' dynamodb_read_capacity_units and dynamodb_write_capacity_units).",
            },
        ]
        :
        [
            new("container", new Uri(local.Settings["ECS_URL"]), "local: container API Release build on PostgreSQL")
            {
                Usage = new PostgresUsage(local.Settings["POSTGRES"]),
            },
            new("serverless", new Uri(local.Settings["SERVERLESS_URL"]),
                $"local: Lambda host running the functions' {(local.Settings["FUNCTIONS"] == "aot" ? "Native AOT" : "JIT")} builds on DynamoDB Local")
            {
                Usage = new LambdaHostUsage(new Uri(local.Settings["SERVERLESS_URL"])),
            },
        ];

    var report = await new Comparison(targets, TimeProvider.System).RunAsync(profiles, cancellationToken);
    report = report with { Machine = MachineInfo.Current(Repository.Commit(repository)) };
    var directory = result.GetValue(outOption)!.FullName;
    ReportWriter.WriteAll(report, directory);
    foreach (var profile in report.Profiles)
    {
        var (_, header, rows) = ReportWriter.TableOf(profile);
        var table = new Table().Title($"profile {profile.Profile.Name}");
        foreach (var column in header)
        {
            table.AddColumn(Markup.Escape(column));
        }

        foreach (var row in rows)
        {
            table.AddRow([.. row.Select(Markup.Escape)]);
        }

        AnsiConsole.Write(table);
    }

    AnsiConsole.MarkupLineInterpolated($"Report: {Path.Combine(directory, "compare.html")} (and compare.md, compare.json)");
    return 0;
});

return await command.Parse(args).InvokeAsync();

/// <summary>The repository the tool runs in: the folder above the working directory that holds the solution.</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IotPlayground.sln")))
            {
                return directory.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }

    public static string? Commit(string repository)
    {
        try
        {
            using var git = Process.Start(new ProcessStartInfo("git", ["-C", repository, "rev-parse", "--short", "HEAD"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var commit = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 ? commit : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
