namespace IotPlayground.Compare;

/// <summary>
/// One request as a client saw it: which endpoint (its route, and "batch" for a batch of readings), when it was sent
/// from the start of the repetition, how long the answer took, its status (0 when no answer came) and problem code,
/// and whether it was the first request of a new function instance.
/// </summary>
public sealed record RequestSample(string Endpoint, double SentAtSeconds, double LatencyMs, int Status, string? Code, bool ColdStart);

/// <summary>Collects the samples of one repetition from every client task at once.</summary>
public sealed class SampleRecorder(TimeProvider clock)
{
    private readonly long _origin = clock.GetTimestamp();
    private readonly List<RequestSample> _samples = [];

    public TimeProvider Clock => clock;

    public double SecondsSinceStart(long timestamp) => clock.GetElapsedTime(_origin, timestamp).TotalSeconds;

    public void Add(RequestSample sample)
    {
        lock (_samples)
        {
            _samples.Add(sample);
        }
    }

    public IReadOnlyList<RequestSample> Samples()
    {
        lock (_samples)
        {
            return [.. _samples];
        }
    }
}
