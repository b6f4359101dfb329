using IotPlayground.Contract;
using IotPlayground.Domain;

namespace IotPlayground.Contract.Tests.Parsing;

public sealed class ReadingValidation
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string RunId = Guid.NewGuid().ToString();

    [Fact]
    public void AReadingWithoutTimestampTakesTheServersTime()
    {
        var reading = ReadingInputs.Validate(new ReadingInput(RunId, "s1", null, 21.5, 40, 1013), Now);

        Assert.Equal(new SensorReading(Guid.Parse(RunId), "s1", Now, 21.5, 40, 1013), reading.Value);
    }

    [Theory]
    [InlineData(-90.1, null, null, "temperature")]
    [InlineData(150.1, null, null, "temperature")]
    [InlineData(double.NaN, null, null, "temperature")]
    [InlineData(20, -0.1, null, "humidity")]
    [InlineData(20, 100.1, null, "humidity")]
    [InlineData(20, null, 299.9, "pressure")]
    [InlineData(20, null, 1100.1, "pressure")]
    public void ValuesOutsidePhysicalRangesAreRefused(double temperature, double? humidity, double? pressure, string field)
    {
        var reading = ReadingInputs.Validate(new ReadingInput(RunId, "s1", null, temperature, humidity, pressure), Now);

        Assert.Equal([field], reading.Error!.Errors!.Keys);
    }

    [Fact]
    public void AReadingFromTheFutureIsRefusedBeyondClockSkew()
    {
        Assert.True(ReadingInputs.Validate(new ReadingInput(RunId, "s1", Now.AddSeconds(59), 20, null, null), Now).Succeeded);
        Assert.False(ReadingInputs.Validate(new ReadingInput(RunId, "s1", Now.AddSeconds(61), 20, null, null), Now).Succeeded);
    }

    [Fact]
    public void FieldNamesCarryTheBatchPosition()
    {
        var reading = ReadingInputs.Validate(new ReadingInput("nope", "", null, null, null, null), Now, "readings[3].");

        Assert.Equal(["readings[3].runId", "readings[3].sensorId", "readings[3].temperature"], reading.Error!.Errors!.Keys.Order());
    }
}
