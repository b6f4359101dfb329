using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace IotPlayground.Testing;

/// <summary>What the proxy does to the requests a fault applies to.</summary>
public enum ProxyFault
{
    /// <summary>The connection is closed before the request reaches the server: nothing is applied.</summary>
    Drop,

    /// <summary>Half of the request reaches the server, then the connection is closed: a write cut in the middle.</summary>
    Cut,

    /// <summary>The server applies the request and answers; the answer is not passed on and the connection is closed.</summary>
    LoseAnswer,

    /// <summary>The request is held for the fault's delay, then passed on.</summary>
    Delay,
}

/// <summary>
/// A TCP proxy on a free loopback port in front of an HTTP/1.1 server (DynamoDB Local), which reads each request and
/// answer whole so that it can count requests and do something to chosen ones: drop the connection, cut the request
/// half-way, lose the server's answer, or hold the request back. Between the functions and the store, it shows what a
/// network fault does to what the store is left holding.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private int _requests;
    private FaultPlan? _plan;

    private FaultProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        Endpoint = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy's own endpoint, to give the clients instead of the server's.</summary>
    public string Endpoint { get; }

    /// <summary>Requests seen since the proxy started, faulted ones included.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Requests the proxy did something to since the last <see cref="Inject"/>.</summary>
    public int Faulted => _plan?.Faulted ?? 0;

    public static FaultProxy Start(string target) => new(new Uri(target));

    /// <summary>
    /// Lets the next <paramref name="afterRequests"/> requests through, then applies <paramref name="fault"/> to the
    /// <paramref name="count"/> requests after them (every one after, by default), until <see cref="Heal"/>.
    /// </summary>
    public void Inject(ProxyFault fault, int afterRequests, int count = int.MaxValue, TimeSpan delay = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterRequests);
        lock (_gate)
        {
            var first = Requests + afterRequests + 1;
            _plan = new FaultPlan(fault, first, count == int.MaxValue ? int.MaxValue : first + count, delay);
        }
    }

    public void Heal()
    {
        lock (_gate)
        {
            _plan = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Task[] connections;
        lock (_gate)
        {
            connections = [.. _connections];
        }

        try
        {
            await Task.WhenAll([_accepting, .. connections]);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Stopped in the middle of a request: what stopping is for.
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_gate)
            {
                _connections.RemoveAll(c => c.IsCompleted);
                _connections.Add(ServeAsync(client));
            }
        }
    }

    /// <summary>One client connection, request by request: the SDK sends the next request only once it has the answer.</summary>
    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_target.Host, _target.Port, _stopping.Token);
                var fromClient = client.GetStream();
                var toServer = server.GetStream();
                while (await HttpMessage.ReadAsync(fromClient, isRequest: true, _stopping.Token) is { } request)
                {
                    var number = Interlocked.Increment(ref _requests);
                    FaultPlan? plan;
                    lock (_gate)
                    {
                        plan = _plan;
                    }

                    var fault = plan?.AppliesTo(number) == true ? plan.Fault : (ProxyFault?)null;
                    switch (fault)
                    {
                        case ProxyFault.Drop:
                            return;
                        case ProxyFault.Cut:
                            await toServer.WriteAsync(request.AsMemory(0, request.Length / 2), _stopping.Token);
                            return;
                        case ProxyFault.Delay:
                            await Task.Delay(plan!.Delay, _stopping.Token);
                            break;
                    }

                    await toServer.WriteAsync(request, _stopping.Token);
                    var answer = await HttpMessage.ReadAsync(toServer, isRequest: false, _stopping.Token);
                    if (answer is null || fault == ProxyFault.LoseAnswer)
                    {
                        return;
                    }

                    await fromClient.WriteAsync(answer, _stopping.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // Either side went away: the connection ends, as it would without the proxy.
            }
        }
    }

    private sealed class FaultPlan(ProxyFault fault, int first, int end, TimeSpan delay)
    {
        private int _faulted;

        public ProxyFault Fault => fault;

        public TimeSpan Delay => delay;

        public int Faulted => Volatile.Read(ref _faulted);

        public bool AppliesTo(int request)
        {
            if (request < first || request >= end)
            {
                return false;
            }

            Interlocked.Increment(ref _faulted);
            return true;
        }
    }

    /// <summary>Reads one HTTP/1.1 message whole: head, then a Content-Length or chunked body.</summary>
    private static class HttpMessage
    {
        public static async Task<byte[]?> ReadAsync(NetworkStream stream, bool isRequest, CancellationToken cancellationToken)
        {
            var message = new MemoryStream();
            while (true)
            {
                var head = await ReadHeadAsync(stream, cancellationToken);
                if (head is null)
                {
                    return null;
                }

                message.Write(head);
                var text = Encoding.ASCII.GetString(head);

                // An interim answer (100 Continue) comes before the real one.
                if (!isRequest && text.StartsWith("HTTP/1.1 1", StringComparison.Ordinal))
                {
                    continue;
                }

                if (Header(text, "Content-Length") is { } length)
                {
                    await CopyAsync(stream, message, int.Parse(length, CultureInfo.InvariantCulture), cancellationToken);
                }
                else if (Header(text, "Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
                {
                    await CopyChunkedAsync(stream, message, cancellationToken);
                }

                return message.ToArray();
            }
        }

        private static async Task<byte[]?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
        {
            var head = new List<byte>(1024);
            var one = new byte[1];
            while (head.Count < 4 || head[^4] != '\r' || head[^3] != '\n' || head[^2] != '\r' || head[^1] != '\n')
            {
                if (await stream.ReadAsync(one, cancellationToken) == 0)
                {
                    return null;
                }

                head.Add(one[0]);
            }

            return [.. head];
        }

        private static string? Header(string head, string name) =>
            head.Split("\r\n").Skip(1)
                .Select(line => line.Split(':', 2))
                .Where(parts => parts.Length == 2 && parts[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                .Select(parts => parts[1].Trim())
                .FirstOrDefault();

        private static async Task CopyAsync(NetworkStream stream, MemoryStream message, int length, CancellationToken cancellationToken)
        {
            var buffer = new byte[length];
            await stream.ReadExactlyAsync(buffer, cancellationToken);
            message.Write(buffer);
        }

        private static async Task CopyChunkedAsync(NetworkStream stream, MemoryStream message, CancellationToken cancellationToken)
        {
            while (true)
            {
                var sizeLine = await ReadLineAsync(stream, cancellationToken);
                message.Write(sizeLine);
                var size = int.Parse(Encoding.ASCII.GetString(sizeLine).Split(';')[0].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                await CopyAsync(stream, message, size + 2, cancellationToken);
                if (size == 0)
                {
                    return;
                }
            }
        }

        private static async Task<byte[]> ReadLineAsync(NetworkStream stream, CancellationToken cancellationToken)
        {
            var line = new List<byte>(16);
            var one = new byte[1];
            while (line.Count < 2 || line[^2] != '\r' || line[^1] != '\n')
            {
                await stream.ReadExactlyAsync(one, cancellationToken);
                line.Add(one[0]);
            }

            return [.. line];
        }
    }
}
