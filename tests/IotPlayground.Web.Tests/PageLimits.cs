using System.Globalization;
using System.Text.RegularExpressions;
using IotPlayground.Domain;
using IotPlayground.Testing;

namespace IotPlayground.Web.Tests;

/// <summary>The page refuses exactly what the API refuses: its limits are the domain's.</summary>
public sealed partial class PageLimits
{
    private static readonly string Source = File.ReadAllText(Repository.Path("apps", "web", "limits.js"));

    public static TheoryData<string, int> DomainLimits => new()
    {
        { "maxRunning", RunRules.MaxRunning },
        { "minDuration", RunRules.MinDuration },
        { "maxDuration", RunRules.MaxDuration },
        { "minInterval", RunRules.MinInterval },
        { "maxInterval", RunRules.MaxInterval },
        { "maxSensors", RunRules.MaxSensors },
        { "maxUserLength", UserName.MaxLength },
    };

    [Theory]
    [MemberData(nameof(DomainLimits))]
    public void EachLimitOfThePageIsTheDomains(string name, int expected)
    {
        var match = Regex.Match(Source, $@"\b{name}: (\d+),");

        Assert.True(match.Success, $"limits.js has no {name}.");
        Assert.Equal(expected, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ThePagesMeasuresAreTheDomains()
    {
        var measures = MeasuresLine().Match(Source).Groups[1].Value.Split(',').Select(m => m.Trim().Trim('"'));

        Assert.Equal(Measures.Names, measures);
    }

    [GeneratedRegex(@"measures: \[([^\]]*)\]")]
    private static partial Regex MeasuresLine();
}
