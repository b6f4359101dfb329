using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IotPlayground.Lambda.Runtime;

/// <summary>
/// Structured logs: one JSON object per line on standard output, which Lambda sends to CloudWatch Logs. Every line
/// names the service and, inside an invocation, its request id, so Logs Insights can follow one request. The line's
/// own instant is "time": "timestamp" belongs to what a line reports (a sensor reading's time).
/// </summary>
public sealed class JsonLog(TextWriter output, string service, TimeProvider clock)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonLog Console(string service) => new(System.Console.Out, service, TimeProvider.System);

    public string Service => service;

    public void Info(string message, Action<Utf8JsonWriter>? fields = null) => Write("INFO", message, fields);

    public void Warn(string message, Action<Utf8JsonWriter>? fields = null) => Write("WARN", message, fields);

    public void Error(string message, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Write("ERROR", message, json =>
        {
            json.WriteString("errorType", exception.GetType().FullName);
            json.WriteString("errorMessage", exception.Message);
            json.WriteString("stackTrace", exception.ToString());
        });
    }

    /// <summary>Writes one line whose members are the standard ones followed by <paramref name="fields"/>.</summary>
    public void Write(string level, string message, Action<Utf8JsonWriter>? fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("time", clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("level", level);
            json.WriteString("service", service);
            json.WriteString("message", message);
            if (LambdaContext.Current is { } invocation)
            {
                json.WriteString("requestId", invocation.RequestId);
            }

            fields?.Invoke(json);
            json.WriteEndObject();
        }

        WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>A line written whole, for lines that are not log entries (Embedded Metric Format).</summary>
    public void WriteLine(string line)
    {
        ArgumentNullException.ThrowIfNull(output);
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
