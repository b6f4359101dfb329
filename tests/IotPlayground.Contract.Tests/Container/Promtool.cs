using System.Diagnostics;

namespace IotPlayground.Contract.Tests.Container;

/// <summary>Prometheus's own checker of the text exposition format and its naming rules (Debian package prometheus).</summary>
internal static class Promtool
{
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        var start = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await errors);
    }
}
