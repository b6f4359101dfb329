namespace IotPlayground.Cdk.Tests.Security;

/// <summary>A Lambda runtime and the day AWS deprecates it.</summary>
public sealed record RuntimeDeprecation(string Runtime, DateOnly Deprecated);

/// <summary>
/// AWS's deprecation dates of the Lambda runtimes these templates may use, from the table "Supported runtimes" of
/// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html as read on <see cref="ReadOn"/>. Update it when
/// AWS moves a date or a template needs another runtime: a runtime missing here fails the test.
/// </summary>
public static class LambdaRuntimeDeprecations
{
    public static readonly DateOnly ReadOn = new(2026, 12, 1);

    /// <summary>How far ahead a runtime must stay supported: a template deployed today keeps deploying that long.</summary>
    public const int MonthsOfNotice = 6;

    public static IReadOnlyList<RuntimeDeprecation> All { get; } =
    [
        new("nodejs20.x", new DateOnly(2026, 4, 30)),
        new("nodejs22.x", new DateOnly(2027, 4, 30)),
        new("nodejs24.x", new DateOnly(2028, 4, 30)),
        new("python3.11", new DateOnly(2026, 6, 30)),
        new("python3.12", new DateOnly(2028, 10, 31)),
        new("python3.13", new DateOnly(2029, 6, 30)),
        new("provided.al2023", new DateOnly(2029, 6, 30)),
    ];

    /// <summary>Why <paramref name="runtime"/> may not be deployed on <paramref name="today"/>, or null when it may.</summary>
    public static string? Objection(string runtime, DateOnly today)
    {
        var known = All.SingleOrDefault(r => r.Runtime == runtime);
        if (known is null)
        {
            return $"{runtime} is not in the table of deprecation dates: look it up and add it";
        }

        return known.Deprecated <= today.AddMonths(MonthsOfNotice)
            ? $"{runtime} is deprecated on {known.Deprecated:yyyy-MM-dd}, within {MonthsOfNotice} months of {today:yyyy-MM-dd}"
            : null;
    }
}
