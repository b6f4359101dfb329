using System.Buffers;
using IotPlayground.Contract;

namespace IotPlayground.Api.Endpoints;

internal static class RequestBodyReader
{
    /// <summary>
    /// The whole body, or, when it is larger than the contract allows, as much as was read before that was clear: the
    /// application refuses any body over the limit, and the rest of it is never buffered.
    /// </summary>
    public static async Task<byte[]> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            if (result.IsCompleted || result.Buffer.Length > RequestBodies.MaxBytes)
            {
                var body = result.Buffer.ToArray();
                reader.AdvanceTo(result.Buffer.End);
                return body;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }
}
