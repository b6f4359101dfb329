using System.Diagnostics.Metrics;
using IotPlayground.Domain;

namespace IotPlayground.Api.Metrics;

/// <summary>The container API's business metrics; exported at /metrics under the names ARCHITECTURE.md gives.</summary>
public sealed class ApiRunMetrics : IRunMetrics
{
    public const string MeterName = "IotPlayground";

    private readonly Counter<long> _started;
    private readonly Counter<long> _finished;
    private readonly Counter<long> _readings;
    private int _running;

    public ApiRunMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _started = meter.CreateCounter<long>("runs_started", description: "Runs started.");
        _finished = meter.CreateCounter<long>("runs_finished", description: "Runs ended, by end reason.");
        _readings = meter.CreateCounter<long>("sensor_readings_ingested", description: "Sensor readings stored.");
        meter.CreateObservableGauge("runs_running", () => Volatile.Read(ref _running), description: "Runs holding a quota slot.");
    }

    public void RunStarted(Run run) => _started.Add(1);

    public void RunEnded(Run run)
    {
        ArgumentNullException.ThrowIfNull(run);
        _finished.Add(1, new KeyValuePair<string, object?>("reason", run.EndReason is { } reason ? WireNames.Of(reason) : "unknown"));
    }

    public void ReadingsIngested(IReadOnlyList<SensorReading> readings)
    {
        ArgumentNullException.ThrowIfNull(readings);
        _readings.Add(readings.Count);
    }

    /// <summary>Set from the store by the sweep: every API task then reports the same, global figure.</summary>
    public void SetRunning(int running) => Volatile.Write(ref _running, running);
}
