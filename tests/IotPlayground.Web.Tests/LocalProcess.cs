using System.Diagnostics;
using System.Net;
using IotPlayground.Testing;

namespace IotPlayground.Web.Tests;

/// <summary>A server of the playground as its own process on a free loopback port, stopped with the fixture.</summary>
public sealed class LocalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private LocalProcess(Process process) => _process = process;

    /// <summary>Starts the command and waits, bounded, until <paramref name="readyUrl"/> answers 200.</summary>
    public static async Task<LocalProcess> StartAsync(string fileName, IEnumerable<string> arguments, IDictionary<string, string> environment, Uri readyUrl)
    {
        var start = new ProcessStartInfo(fileName, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var local = new LocalProcess(Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start."));
        local._process.OutputDataReceived += (_, e) => local.Keep(e.Data);
        local._process.ErrorDataReceived += (_, e) => local.Keep(e.Data);
        local._process.BeginOutputReadLine();
        local._process.BeginErrorReadLine();

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            await Eventually.Async(
                async () => local._process.HasExited ? throw new InvalidOperationException("It exited.") : await AnswersOkAsync(client, readyUrl),
                TimeSpan.FromSeconds(90),
                $"{readyUrl} did not answer 200.");
            return local;
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            var output = local.Output;
            await local.DisposeAsync();
            throw new InvalidOperationException($"{fileName} did not answer {readyUrl} ({ex.Message}):\n{output}", ex);
        }
    }

    private static async Task<bool> AnswersOkAsync(HttpClient client, Uri url)
    {
        try
        {
            using var response = await client.GetAsync(url);
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            // Not listening yet.
            return false;
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output.TakeLast(50));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
