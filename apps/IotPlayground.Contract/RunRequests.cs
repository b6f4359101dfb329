using IotPlayground.Domain;

namespace IotPlayground.Contract;

/// <summary>Turns a start request as sent into the start command, naming every field that is wrong.</summary>
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
