using IotPlayground.Contract;
using IotPlayground.Domain;

namespace IotPlayground.Contract.Tests.Parsing;

public sealed class StartRequestValidation
{
    [Fact]
    public void AMinimalRequestGetsOneTemperatureSensor()
    {
        var request = RunRequests.Validate(new StartRunInput(60, 5, null));

        Assert.True(request.Succeeded);
        Assert.Equal(new RunRequest(60, 5, RunParams.Default), request.Value);
    }

    [Fact]
    public void MeasuresAreDeduplicatedAndAlwaysIncludeTemperature()
    {
        var request = RunRequests.Validate(new StartRunInput(60, 5, new RunParamsInput(4, ["pressure", "humidity", "pressure"])));

        Assert.Equal(new RunParams(4, [Measure.Temperature, Measure.Humidity, Measure.Pressure]), request.Value!.Params);
    }

    [Theory]
    [InlineData(null, 5, "duration")]
    [InlineData(60, null, "interval")]
    [InlineData(4, 1, "duration")]
    [InlineData(86_401, 5, "duration")]
    [InlineData(60, 0, "interval")]
    [InlineData(60, 61, "interval")]
    public void OutOfRangeTimingsNameTheField(int? duration, int? interval, string field)
    {
        var request = RunRequests.Validate(new StartRunInput(duration, interval, null));

        Assert.Equal(ErrorCode.ValidationFailed, request.Error?.Code);
        Assert.Contains(field, request.Error!.Errors!.Keys);
    }

    [Fact]
    public void EveryBadFieldIsReportedAtOnce()
    {
        var request = RunRequests.Validate(new StartRunInput(null, 0, new RunParamsInput(0, ["radiation"])));

        Assert.Equal(["duration", "interval", "params.measures", "params.sensorCount"], request.Error!.Errors!.Keys.Order());
    }

    [Fact]
    public void AMissingBodyIsRefused()
    {
        Assert.Equal(ErrorCode.ValidationFailed, RunRequests.Validate(null).Error?.Code);
    }
}
