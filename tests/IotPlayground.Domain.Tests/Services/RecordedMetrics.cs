using IotPlayground.Domain;

namespace IotPlayground.Domain.Tests.Services;

/// <summary>What the services told the metrics, in order, to check that each end is counted once.</summary>
internal sealed class RecordedMetrics : IRunMetrics
{
    public List<Run> Started { get; } = [];

    public List<Run> Ended { get; } = [];

    public List<SensorReading> Ingested { get; } = [];

    public void RunStarted(Run run) => Started.Add(run);

    public void RunEnded(Run run) => Ended.Add(run);

    public void ReadingsIngested(IReadOnlyList<SensorReading> readings) => Ingested.AddRange(readings);
}
