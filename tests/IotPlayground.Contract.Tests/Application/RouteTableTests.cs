using IotPlayground.Contract.Http;

namespace IotPlayground.Contract.Tests.Application;

/// <summary>What the hosts and the CDK rely on the route table for.</summary>
public sealed class RouteTableTests
{
    [Fact]
    public void EveryWriteAndOnlyAWriteRequiresTheUserHeader() =>
        Assert.All(ApiRoutes.All, route => Assert.Equal(route.Method == "POST", route.RequiresUser));

    [Fact]
    public void OperationIdsAreUnique() =>
        Assert.Equal(ApiRoutes.All.Count, ApiRoutes.All.Select(r => r.OperationId).Distinct(StringComparer.Ordinal).Count());

    [Fact]
    public void EveryRouteSaysItsSuccessFirstThenItsProblemsWithTheirCodes() =>
        Assert.All(ApiRoutes.All, route =>
        {
            Assert.InRange(route.Success.Status, 200, 299);
            Assert.False(route.Success.IsProblem);

            // Readiness answers its 503 with the health document, not a problem.
            Assert.All(route.Responses.Skip(1), r => Assert.True(r.IsProblem || (route.OperationId == "getHealth" && r.Status == 503)));
        });

    [Fact]
    public void AGatewayResourceOfItsOwnFunctionReachesEveryRoute() =>
        Assert.All(ApiRoutes.All, route => Assert.Single(GatewayResources.All, resource => Reaches(resource, route)));

    [Fact]
    public void NoGatewayResourceReachesOnlyRoutesOfAnotherFunction() =>
        Assert.All(GatewayResources.All, resource => Assert.Contains(ApiRoutes.All, route => Reaches(resource, route)));

    [Fact]
    public void TheGatewayHasTheResourcesTheStackHasAlwaysHad() =>
        Assert.Equivalent(
            new GatewayResource[]
            {
                new GatewayResource("/health", "GET", ApiFunctions.RunApi),
                new GatewayResource("/api/runs", "ANY", ApiFunctions.RunApi),
                new GatewayResource("/api/runs/{proxy+}", "ANY", ApiFunctions.RunApi),
                new GatewayResource("/api/sensors/{proxy+}", "ANY", ApiFunctions.SensorApi),
            },
            GatewayResources.All);

    [Fact]
    public void TwoFunctionsCannotShareAResource()
    {
        var clash = ApiRoutes.RunApi[1] with { Function = ApiFunctions.SensorApi };

        Assert.Throws<InvalidOperationException>(() => GatewayResources.Derive([.. ApiRoutes.RunApi, clash]));
    }

    [Fact]
    public void ARouteThatDoesNotDeclareTheUserHeaderMayNotReadIt()
    {
        var route = ApiRoutes.RunApi.Single(r => r.OperationId == "getRun");
        var request = new ApiRequest("GET", "/api/runs/x", new Dictionary<string, string> { [HeaderNames.User] = "alice" }, ApiRequest.NoQuery, default);

        Assert.Throws<InvalidOperationException>(() => new RouteCall(route, request, new Dictionary<string, string>()).User());
    }

    private static bool Reaches(GatewayResource resource, ApiRoute route)
    {
        if (resource.Function != route.Function || (resource.Method != GatewayResource.AnyMethod && resource.Method != route.Method))
        {
            return false;
        }

        var prefix = resource.IsProxy ? resource.Path[..^GatewayResource.ProxySegment.Length] : null;
        return prefix is null ? resource.Path == route.Path : route.Path.StartsWith(prefix, StringComparison.Ordinal);
    }
}
