namespace IotPlayground.Cdk.Tests.Security;

[Collection(CdkSynthesis.Name)]
public sealed class LambdaRuntimeTests(SynthesizedApp app)
{
    [Fact]
    public void NoFunctionRunsOnARuntimeThatAwsDeprecatesWithinSixMonths()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var functions = TemplateResource.OfType(app.TemplateJson, "AWS::Lambda::Function").ToList();
        Assert.NotEmpty(functions);

        var objections = functions
            .Select(f => (Function: f, Objection: LambdaRuntimeDeprecations.Objection(f.Props["Runtime"]!.GetValue<string>(), today)))
            .Where(f => f.Objection is not null)
            .Select(f => $"{f.Function.Stack}/{f.Function.LogicalId}: {f.Objection}")
            .ToList();

        Assert.True(objections.Count == 0, string.Join(Environment.NewLine, objections));
    }

    [Theory]
    [InlineData("nodejs20.x", "2026-12-01")]
    [InlineData("nodejs22.x", "2026-12-01")]
    [InlineData("python3.11", "2026-12-01")]
    [InlineData("nodejs24.x", "2027-11-15")]
    [InlineData("ruby2.7", "2026-12-01")]
    public void ARuntimeDeprecatedSoonOrUnknownIsRefused(string runtime, string today) =>
        Assert.NotNull(LambdaRuntimeDeprecations.Objection(runtime, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("nodejs24.x", "2026-12-01")]
    [InlineData("python3.13", "2026-12-01")]
    [InlineData("provided.al2023", "2026-12-01")]
    public void ARuntimeSupportedForMoreThanSixMonthsIsAccepted(string runtime, string today) =>
        Assert.Null(LambdaRuntimeDeprecations.Objection(runtime, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture)));
}
