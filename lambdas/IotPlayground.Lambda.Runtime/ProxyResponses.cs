using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IotPlayground.Contract;
using IotPlayground.Domain;

namespace IotPlayground.Lambda.Runtime;

/// <summary>Proxy responses written with the contract's serializer context, as the container API writes its own.</summary>
public static class ProxyResponses
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public static ApiGatewayProxyResponse Json<T>(int statusCode, T value, JsonTypeInfo<T> typeInfo) => new()
    {
        StatusCode = statusCode,
        Headers = new() { ["Content-Type"] = JsonContentType },
        Body = JsonSerializer.Serialize(value, typeInfo),
    };

    public static ApiGatewayProxyResponse Problem(ProblemResource problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new()
        {
            StatusCode = problem.Status,
            Headers = new() { ["Content-Type"] = Problems.ContentType },
            Body = JsonSerializer.Serialize(problem, ContractJson.Wire.ProblemResource),
        };
    }

    public static ApiGatewayProxyResponse Problem(DomainError error) => Problem(Problems.From(error));

    public static ApiGatewayProxyResponse RouteNotFound(ApiGatewayProxyRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Problem(Problems.RouteNotFound(request.HttpMethod ?? "", request.Path ?? ""));
    }
}
