using System.Diagnostics;

namespace IotPlayground.Testing;

/// <summary>
/// Waits for what a server does in its own time (a sweep, a scrape, a restart): the probe is asked again, each time a
/// real request, until its answer is the awaited one or the limit is spent. Never a sleep in place of a condition.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(200);

    /// <returns>The first answer that <paramref name="done"/> accepts.</returns>
    /// <exception cref="TimeoutException">None did within <paramref name="limit"/>; the message ends with the last.</exception>
    public static async Task<T> Async<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan limit, Func<T, string> describe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        ArgumentNullException.ThrowIfNull(describe);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var answer = await probe();
            if (done(answer))
            {
                return answer;
            }

            if (watch.Elapsed >= limit)
            {
                throw new TimeoutException($"Not within {limit.TotalSeconds:0.#} s: {describe(answer)}");
            }

            await Task.Delay(Pause);
        }
    }

    /// <summary>Until <paramref name="condition"/> holds.</summary>
    public static Task Async(Func<Task<bool>> condition, TimeSpan limit, string what) =>
        Async(condition, held => held, limit, _ => what);
}
