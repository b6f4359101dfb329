using IotPlayground.Contract;

namespace IotPlayground.Compare;

/// <summary>
/// A run's sensors, each drifting slowly around its own baseline as the web page's simulator does, so that both
/// backends store the same kind of readings. Every reading of a sensor has a timestamp of its own (a reading is keyed
/// by run, sensor and timestamp), even when batches go out faster than the clock's millisecond.
/// </summary>
public sealed class Readings(Guid runId, int sensors, TimeProvider clock)
{
    public static readonly string[] Measures = ["temperature", "humidity", "pressure"];

    private readonly Random _random = new(runId.GetHashCode());
    private readonly double[] _temperature = [.. Enumerable.Range(0, sensors).Select(i => 21 + i % 5 * 0.5)];
    private readonly double[] _humidity = [.. Enumerable.Range(0, sensors).Select(i => 45 + i % 7)];
    private DateTimeOffset _last = DateTimeOffset.MinValue;

    /// <summary>The next <paramref name="count"/> readings, sensor after sensor, at the clock's time or just after the last.</summary>
    public IReadOnlyList<ReadingResource> Next(int count)
    {
        var readings = new List<ReadingResource>(count);
        lock (_random)
        {
            var now = clock.GetUtcNow();
            var timestamp = now > _last ? new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, now.Offset) : _last.AddMilliseconds(1);
            for (var i = 0; i < count; i++)
            {
                var sensor = i % sensors;
                if (i > 0 && sensor == 0)
                {
                    timestamp = timestamp.AddMilliseconds(1);
                }

                _temperature[sensor] = Math.Clamp(_temperature[sensor] + (_random.NextDouble() - 0.5) * 0.2, -90, 150);
                _humidity[sensor] = Math.Clamp(_humidity[sensor] + (_random.NextDouble() - 0.5), 0, 100);
                readings.Add(new ReadingResource(
                    runId,
                    $"sensor-{sensor + 1}",
                    timestamp,
                    Math.Round(_temperature[sensor], 2),
                    Math.Round(_humidity[sensor], 2),
                    Math.Round(1013 + (_random.NextDouble() - 0.5) * 4, 2)));
            }

            _last = timestamp;
        }

        return readings;
    }
}
