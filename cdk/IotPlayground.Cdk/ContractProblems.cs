namespace IotPlayground.Cdk;

/// <summary>Problem documents that AWS answers itself, in front of the backends, in the contract's shape.</summary>
public static class ContractProblems
{
    /// <summary>
    /// Problems.RouteNotFound's title and code. API Gateway's response templates and the load balancer's fixed
    /// responses are not code, so nothing can escape the request path into JSON: the detail is fixed instead of
    /// naming the method and path.
    /// </summary>
    public const string RouteNotFound =
        """{"type":"urn:iot-playground:problem:validation_failed","title":"No such endpoint.","status":404,"detail":"This path is not part of this API.","code":"validation_failed"}""";
}
