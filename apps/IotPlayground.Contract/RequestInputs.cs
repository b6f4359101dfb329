using System.Globalization;
using IotPlayground.Domain;

namespace IotPlayground.Contract;

/// <summary>A start request as the client sent it: any member may be missing.</summary>
public sealed record StartRunInput(int? Duration, int? Interval, RunParamsInput? Params);

public sealed record RunParamsInput(int? SensorCount, IReadOnlyList<string>? Measures);

/// <summary>A reading as the client sent it: any member may be missing.</summary>
public sealed record ReadingInput(
    string? RunId,
    string? SensorId,
    DateTimeOffset? Timestamp,
    double? Temperature,
    double? Humidity,
    double? Pressure);

/// <summary>Collects every field error of one request, so a client learns all of them in one answer.</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public void RequireRange(string field, int? value, int min, int max)
    {
        if (value is null)
        {
            Add(field, "is required");
        }
        else if (value < min || value > max)
        {
            Add(field, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max}"));
        }
    }

    public void CheckRange(string field, double? value, double min, double max, string unit)
    {
        if (value is { } v && !(v >= min && v <= max))
        {
            Add(field, string.Create(CultureInfo.InvariantCulture, $"must be between {min} and {max} {unit}"));
        }
    }

    public bool Any => _errors.Count > 0;

    public void AddAll(IReadOnlyDictionary<string, string[]> errors)
    {
        foreach (var (field, messages) in errors)
        {
            _errors[field] = [.. messages];
        }
    }

    public DomainError ToError() => DomainError.Invalid(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
}
