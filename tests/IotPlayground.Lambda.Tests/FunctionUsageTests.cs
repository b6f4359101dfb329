using IotPlayground.Domain;
using IotPlayground.DynamoDb;
using IotPlayground.Lambda.Functions;
using IotPlayground.Lambda.Runtime;
using IotPlayground.LambdaEmulator;

namespace IotPlayground.Lambda.Tests;

/// <summary>What the emulator counts of a function as Lambda bills it and CloudWatch extracts its metrics.</summary>
public sealed class FunctionUsageTests
{
    [Fact]
    public void TheMetricsOfTheFunctionsEmfLinesAreReadByTheirDeclaredNames()
    {
        using var output = new StringWriter();
        var metrics = new EmfRunMetrics(new JsonLog(output, EmfMetrics.SensorApiService, TimeProvider.System), TimeProvider.System);
        var runId = Guid.NewGuid();
        metrics.ReadingsIngested([new SensorReading(runId, "s1", DateTimeOffset.UtcNow, 20, null, null), new SensorReading(runId, "s2", DateTimeOffset.UtcNow, 23, null, null)]);
        metrics.CapacityConsumed(new CapacityUnits(0.5, 6));

        var found = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).SelectMany(FunctionUsage.MetricsOf).ToList();

        KeyValuePair<string, double>[] expected =
        [
            new(EmfMetrics.SensorDataIngested, 2),
            new(EmfMetrics.TemperatureAverage, 21.5),
            new(EmfMetrics.DynamoDbReadCapacityUnits, 0.5),
            new(EmfMetrics.DynamoDbWriteCapacityUnits, 6),
        ];
        Assert.Equal(expected, found);
    }

    [Theory]
    [InlineData("""{"time":"2026-01-01T00:00:00Z","level":"INFO","message":"request","status":201}""")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Metrics":[{"Name":"x"}]}]},"x":""")]
    [InlineData("""{"_aws":{"Timestamp":1},"x":3}""")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"n","Metrics":[{"Name":"y"}]}]},"x":3}""")]
    [InlineData("plain text mentioning \"_aws\"")]
    public void ALineThatIsNoEmfDocumentOrDeclaresNoValueHoldsNoMetric(string line) => Assert.Empty(FunctionUsage.MetricsOf(line));

    [Fact]
    public void AMetricGivenAsAnArrayOfValuesCountsTheirSum()
    {
        const string line = """{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"n","Dimensions":[[]],"Metrics":[{"Name":"x"},{"Name":"y"}]}]},"x":[1,2.5],"y":4}""";

        KeyValuePair<string, double>[] expected = [new("x", 3.5), new("y", 4.0)];
        Assert.Equal(expected, FunctionUsage.MetricsOf(line));
    }

    [Theory]
    [InlineData(0.2, null, 1)]
    [InlineData(3.0, null, 3)]
    [InlineData(3.01, null, 4)]
    [InlineData(2.5, 117.2, 120)]
    public void AnInvocationIsBilledItsDurationWithTheInitOfItsColdStartRoundedUpToAMillisecond(double durationMs, double? initMs, long billed) =>
        Assert.Equal(billed, FunctionUsage.BilledMsOf(TimeSpan.FromMilliseconds(durationMs), initMs is { } init ? TimeSpan.FromMilliseconds(init) : null));
}
