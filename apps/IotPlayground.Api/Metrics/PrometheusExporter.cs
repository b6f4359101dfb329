using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace IotPlayground.Api.Metrics;

/// <summary>
/// Writes this host's System.Diagnostics.Metrics instruments in the Prometheus text exposition format (0.0.4):
/// counters as <c>_total</c>, gauges as their last value, histograms as cumulative <c>_bucket</c> series.
/// Only instruments of this host's own meter factory are seen, so several hosts in one process stay apart.
/// </summary>
public sealed class PrometheusExporter : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly double[] DefaultBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly IMeterFactory _meterFactory;
    private readonly HashSet<string> _meterNames;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentSeries> _instruments = new();

    public PrometheusExporter(IMeterFactory meterFactory, IEnumerable<string> meterNames)
    {
        _meterFactory = meterFactory;
        _meterNames = [.. meterNames];
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == _meterFactory && _meterNames.Contains(instrument.Meter.Name))
            {
                _instruments[instrument] = new InstrumentSeries(instrument, BucketsOf(instrument));
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) => _instruments.TryRemove(instrument, out InstrumentSeries? _);
        _listener.SetMeasurementEventCallback<long>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<int>((i, value, tags, _) => Record(i, value, tags));
        _listener.SetMeasurementEventCallback<double>((i, value, tags, _) => Record(i, value, tags));
        _listener.Start();
    }

    public string Scrape()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder();
        foreach (var series in _instruments.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            series.WriteTo(text);
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_instruments.TryGetValue(instrument, out var series))
        {
            series.Record(value, tags);
        }
    }

    private static double[]? BucketsOf(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBuckets,
        Histogram<long> or Histogram<int> => DefaultBuckets,
        _ => null,
    };

    private sealed class InstrumentSeries(Instrument instrument, double[]? buckets)
    {
        private readonly ConcurrentDictionary<string, Sample> _samples = new(StringComparer.Ordinal);
        private readonly string _type = instrument switch
        {
            Counter<long> or Counter<int> or Counter<double> or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double> => "counter",
            Histogram<double> or Histogram<long> or Histogram<int> => "histogram",
            _ => "gauge",
        };

        public string Name { get; } = MetricName(instrument);

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var sample = _samples.GetOrAdd(Labels(tags), _ => new Sample(buckets));
            if (instrument.IsObservable)
            {
                sample.Set(value);
            }
            else
            {
                sample.Add(value);
            }
        }

        public void WriteTo(StringBuilder text)
        {
            text.Append("# HELP ").Append(Name).Append(' ').Append(EscapeHelp(instrument.Description ?? instrument.Name)).Append('\n');
            text.Append("# TYPE ").Append(Name).Append(' ').Append(_type).Append('\n');
            foreach (var (labels, sample) in _samples.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                sample.WriteTo(text, Name, labels, _type);
            }
        }

        private static string MetricName(Instrument instrument)
        {
            var name = Sanitize(instrument.Name);
            if (instrument.Unit == "s" && !name.EndsWith("_seconds", StringComparison.Ordinal))
            {
                name += "_seconds";
            }

            var isCounter = instrument is Counter<long> or Counter<int> or Counter<double>
                or ObservableCounter<long> or ObservableCounter<int> or ObservableCounter<double>;
            return isCounter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
        }

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.IsEmpty)
            {
                return "";
            }

            var pairs = new List<string>(tags.Length);
            foreach (var (key, value) in tags)
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                pairs.Add($"{Sanitize(key)}=\"{EscapeLabelValue(text)}\"");
            }

            pairs.Sort(StringComparer.Ordinal);
            return string.Join(',', pairs);
        }
    }

    private sealed class Sample(double[]? buckets)
    {
        private readonly Lock _gate = new();
        private readonly long[] _bucketCounts = new long[(buckets?.Length ?? 0) + 1];
        private double _value;
        private long _count;

        public void Set(double value)
        {
            lock (_gate)
            {
                _value = value;
            }
        }

        public void Add(double value)
        {
            lock (_gate)
            {
                _value += value;
                _count++;
                if (buckets is not null)
                {
                    var index = Array.FindIndex(buckets, upper => value <= upper);
                    _bucketCounts[index < 0 ? buckets.Length : index]++;
                }
            }
        }

        public void WriteTo(StringBuilder text, string name, string labels, string type)
        {
            lock (_gate)
            {
                if (type != "histogram" || buckets is null)
                {
                    AppendSample(text, name, labels, _value);
                    return;
                }

                long cumulative = 0;
                for (var i = 0; i < buckets.Length; i++)
                {
                    cumulative += _bucketCounts[i];
                    AppendSample(text, name + "_bucket", Join(labels, $"le=\"{FormatValue(buckets[i])}\""), cumulative);
                }

                AppendSample(text, name + "_bucket", Join(labels, "le=\"+Inf\""), _count);
                AppendSample(text, name + "_sum", labels, _value);
                AppendSample(text, name + "_count", labels, _count);
            }
        }

        private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

        private static void AppendSample(StringBuilder text, string name, string labels, double value)
        {
            text.Append(name);
            if (labels.Length > 0)
            {
                text.Append('{').Append(labels).Append('}');
            }

            text.Append(' ').Append(FormatValue(value)).Append('\n');
        }
    }

    private static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Metric and label names may hold only [a-zA-Z0-9_:] and not start with a digit.</summary>
    private static string Sanitize(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!(char.IsAsciiLetterOrDigit(chars[i]) || chars[i] is '_' or ':'))
            {
                chars[i] = '_';
            }
        }

        return chars.Length > 0 && char.IsAsciiDigit(chars[0]) ? "_" + new string(chars) : new string(chars);
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string EscapeLabelValue(string value) =>
        EscapeHelp(value).Replace("\"", "\\\"", StringComparison.Ordinal);
}
