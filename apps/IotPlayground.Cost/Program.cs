using System.CommandLine;
using System.Diagnostics;
using IotPlayground.Cost;

// Prices every environment of the synthesized CDK app idle and under a usage profile, and finds the load at which
// the two architectures cost the same:
//   dotnet run --project apps/IotPlayground.Cost -- [--assembly cdk.out] [--prices FILE] [--profile FILE]
//     [--price-region REGION] [--update-readme README.md] [--out DIR]
var toolDirectory = AppContext.BaseDirectory;
var assemblyOption = new Option<DirectoryInfo>("--assembly")
{
    Description = "The cloud assembly to price; synthesized (templates only) when it has no manifest.",
    DefaultValueFactory = _ => new DirectoryInfo("cdk.out"),
};
var pricesOption = new Option<FileInfo>("--prices")
{
    Description = "The dated price table.",
    DefaultValueFactory = _ => new FileInfo(Path.Combine(toolDirectory, "prices", "aws-prices.json")),
};
var profileOption = new Option<FileInfo>("--profile")
{
    Description = "The usage of one simulation and of the idle system.",
    DefaultValueFactory = _ => new FileInfo(Path.Combine(toolDirectory, "profiles", "seed.json")),
};
var priceRegionOption = new Option<string?>("--price-region")
{
    Description = "Price every stack at this region's prices instead of its own (when the table lacks the stacks' region).",
};
var readmeOption = new Option<FileInfo?>("--update-readme")
{
    Description = "Replace the block between the cost markers of this Markdown file with the report's summary.",
};
var outOption = new Option<DirectoryInfo>("--out")
{
    Description = "Where cost.md, cost.html and cost.json go.",
    DefaultValueFactory = _ => new DirectoryInfo(Path.Combine(".local", "cost")),
};

var command = new RootCommand("What each IoT Playground environment costs, idle and under load.")
{
    assemblyOption, pricesOption, profileOption, priceRegionOption, readmeOption, outOption,
};
command.SetAction(result =>
{
    var assembly = result.GetValue(assemblyOption)!;
    if (!File.Exists(Path.Combine(assembly.FullName, "manifest.json")))
    {
        Synthesize(assembly.FullName);
    }

    var stacks = CloudAssembly.Read(assembly.FullName);
    if (result.GetValue(priceRegionOption) is { Length: > 0 } priceRegion)
    {
        stacks = [.. stacks.Select(s => s with { Region = priceRegion })];
    }

    var report = CostReport.Build(
        stacks,
        PriceTable.Load(result.GetValue(pricesOption)!.FullName),
        UsageProfile.Load(result.GetValue(profileOption)!.FullName));
    var output = result.GetValue(outOption)!.FullName;
    ReportWriter.WriteAll(report, output);
    Console.Write(ReportWriter.Markdown(report));
    if (result.GetValue(readmeOption) is { } readme)
    {
        File.WriteAllText(readme.FullName, ReportWriter.ReplaceSummary(File.ReadAllText(readme.FullName), report));
        Console.WriteLine($"Updated the cost summary in {readme.FullName}");
    }

    Console.WriteLine();
    Console.WriteLine($"Report: {Path.Combine(output, "cost.html")}");
    return 0;
});
return command.Parse(args).Invoke();

static void Synthesize(string directory)
{
    Console.Error.WriteLine($"No cloud assembly in {directory}: synthesizing the templates (npx cdk synth -c bundling=false).");
    using var synth = Process.Start(new ProcessStartInfo("npx", ["cdk", "synth", "-c", "bundling=false", "-q", "-o", directory])
    {
        Environment = { ["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1" },
    }) ?? throw new InvalidOperationException("npx did not start.");
    synth.WaitForExit();
    if (synth.ExitCode != 0)
    {
        throw new InvalidOperationException($"cdk synth exited with {synth.ExitCode}.");
    }
}
