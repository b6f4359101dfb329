using Spectre.Console;

namespace IotPlayground.Compare;

/// <summary>
/// Runs each profile's repetitions against every target in turn, the order swapped from one repetition to the next so
/// that neither backend always runs first on a warming machine, and reduces them to the report's figures.
/// </summary>
public sealed class Comparison(IReadOnlyList<BackendTarget> targets, TimeProvider clock)
{
    public async Task<ComparisonReport> RunAsync(IReadOnlyList<WorkloadProfile> profiles, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var clients = targets.ToDictionary(t => t.Name, t => new HttpClient { BaseAddress = t.BaseUrl, Timeout = TimeSpan.FromSeconds(30) });
        try
        {
            var results = new List<ProfileFigures>();
            foreach (var profile in profiles)
            {
                var repetitions = targets.ToDictionary(t => t.Name, _ => new List<RepetitionResult>());
                await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn())
                    .StartAsync(async progress =>
                    {
                        for (var repetition = 1; repetition <= profile.Repetitions; repetition++)
                        {
                            var order = repetition % 2 == 1 ? targets : targets.Reverse();
                            foreach (var target in order)
                            {
                                var task = progress.AddTask(Markup.Escape($"{profile.Name} {repetition}/{profile.Repetitions}: {target.Name}"), maxValue: profile.DurationSeconds);
                                using var ticking = Tick(task);
                                var (result, usage) = await MeasuredUsage.AroundAsync(
                                    target, () => new WorkloadRunner(clients[target.Name], clock).RunAsync(profile, cancellationToken), clock, cancellationToken);
                                repetitions[target.Name].Add(result with { Usage = usage });
                                task.Value = task.MaxValue;
                                task.StopTask();
                            }
                        }
                    });
                results.Add(new ProfileFigures(profile, [.. targets.Select(t => BackendFigures.From(t, profile, repetitions[t.Name]))]));
            }

            return new ComparisonReport(clock.GetUtcNow(), MachineInfo.Current(null), results);
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>Moves a repetition's bar with the profile's clock, until the repetition ends.</summary>
    private ITimer Tick(ProgressTask task) =>
        clock.CreateTimer(_ => task.Increment(1), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
}
