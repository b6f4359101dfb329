using System.Text.Json;
using System.Text.Json.Serialization;
using IotPlayground.Domain;

namespace IotPlayground.Compare;

/// <summary>How a profile's runs end: their owners finish them, or they are left to expire past their deadline.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunEnd>))]
public enum RunEnd
{
    [JsonStringEnumMemberName("finish")] Finish,
    [JsonStringEnumMemberName("expire")] Expire,
}

/// <summary>
/// One workload, driven alike against each backend. Readings go out every <see cref="IntervalSeconds"/>, one a
/// request or <see cref="ReadingsPerRequest"/> to a batch; with <see cref="RequestsPerSecond"/> set they go out as
/// fast as that rate allows instead, over <see cref="Connections"/> concurrent senders.
/// </summary>
public sealed record WorkloadProfile
{
    public string Name { get; init; } = "";
    public required string Description { get; init; }
    public required int Runs { get; init; }
    public required int DurationSeconds { get; init; }
    public required int IntervalSeconds { get; init; }
    public required int Sensors { get; init; }
    public required int ReadingsPerRequest { get; init; }
    public int? RequestsPerSecond { get; init; }
    public int Connections { get; init; } = 1;
    public required int PollEverySeconds { get; init; }
    public required RunEnd End { get; init; }
    public required int Repetitions { get; init; }

    /// <summary>The contract's limits, so that a profile the backends would refuse is refused before it runs.</summary>
    public IEnumerable<string> Problems()
    {
        if (Runs < 1 || Runs > RunRules.MaxRunning) yield return $"runs must be 1 to {RunRules.MaxRunning} (the backends' quota)";
        if (DurationSeconds < RunRules.MinDuration || DurationSeconds > 3_600) yield return $"durationSeconds must be {RunRules.MinDuration} to 3600";
        if (IntervalSeconds < RunRules.MinInterval || IntervalSeconds > RunRules.MaxInterval) yield return $"intervalSeconds must be {RunRules.MinInterval} to {RunRules.MaxInterval}";
        if (Sensors < 1 || Sensors > RunRules.MaxSensors) yield return $"sensors must be 1 to {RunRules.MaxSensors}";
        if (ReadingsPerRequest < 1 || ReadingsPerRequest > SensorReadings.MaxBatch) yield return $"readingsPerRequest must be 1 to {SensorReadings.MaxBatch}";
        if (RequestsPerSecond is < 1) yield return "requestsPerSecond must be positive";
        if (Connections < 1) yield return "connections must be positive";
        if (PollEverySeconds < 1) yield return "pollEverySeconds must be positive";
        if (Repetitions < 1) yield return "repetitions must be positive";
    }
}

public sealed record WorkloadFile(IReadOnlyDictionary<string, WorkloadProfile> Profiles)
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Reads and checks every profile of <paramref name="path"/>; a profile named twice or out of range is refused.</summary>
    public static WorkloadFile Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var profiles = new Dictionary<string, WorkloadProfile>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.GetProperty("profiles").EnumerateObject())
        {
            var profile = property.Value.Deserialize<WorkloadProfile>(Options)
                ?? throw new InvalidDataException($"{path}: profile '{property.Name}' is empty");
            var problems = profile.Problems().ToList();
            if (problems.Count > 0)
            {
                throw new InvalidDataException($"{path}: profile '{property.Name}': {string.Join("; ", problems)}");
            }

            if (!profiles.TryAdd(property.Name, profile with { Name = property.Name }))
            {
                throw new InvalidDataException($"{path}: profile '{property.Name}' is given twice");
            }
        }

        return new WorkloadFile(profiles);
    }

    public WorkloadProfile this[string name] =>
        Profiles.TryGetValue(name, out var profile)
            ? profile
            : throw new ArgumentException($"No profile '{name}'; the profiles are {string.Join(", ", Profiles.Keys)}.", nameof(name));
}
