namespace IotPlayground.Domain;

public static class RunRequests
{
    public static Outcome<RunRequest> Validate(StartRunInput? input)
    {
        if (input is null)
        {
            return DomainError.Invalid("body", "is required");
        }

        var errors = new FieldErrors();
        errors.RequireRange("duration", input.Duration, RunRules.MinDuration, RunRules.MaxDuration);
        errors.RequireRange("interval", input.Interval, RunRules.MinInterval, RunRules.MaxInterval);
        if (input.Duration is { } d && input.Interval is { } i && i > d)
        {
            errors.Add("interval", "must not be longer than duration");
        }

        var runParams = ValidateParams(input.Params, errors);
        return errors.Any ? errors.ToError() : new RunRequest(input.Duration!.Value, input.Interval!.Value, runParams);
    }

    private static RunParams ValidateParams(RunParamsInput? input, FieldErrors errors)
    {
        if (input is null)
        {
            return RunParams.Default;
        }

        var sensorCount = input.SensorCount ?? RunParams.Default.SensorCount;
        errors.RequireRange("params.sensorCount", sensorCount, 1, RunRules.MaxSensors);

        var measures = new List<Measure> { Measure.Temperature };
        foreach (var name in input.Measures ?? [])
        {
            if (!Measures.TryParse(name, out var measure))
            {
                errors.Add("params.measures", $"'{Truncated(name)}' is not one of {string.Join(", ", Measures.Names)}");
            }
            else if (!measures.Contains(measure))
            {
                measures.Add(measure);
            }
        }

        measures.Sort();
        return new RunParams(sensorCount, measures);
    }

    private static string Truncated(string? value) =>
        value is null ? "null" : value.Length <= 32 ? value : value[..32] + "…";
}

public static class Measures
{
    public static IReadOnlyList<string> Names { get; } = ["temperature", "humidity", "pressure"];

    public static string NameOf(Measure measure) => Names[(int)measure];

    public static bool TryParse(string? name, out Measure measure)
    {
        var index = name is null ? -1 : Names.IndexOf(name);
        measure = (Measure)Math.Max(index, 0);
        return index >= 0;
    }

    private static int IndexOf(this IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }
}
