namespace IotPlayground.Domain;

/// <summary>How statuses and end reasons are spelled on the wire and in every store.</summary>
public static class WireNames
{
    public static string Of(RunStatus status) => status.ToString().ToUpperInvariant();

    public static string Of(EndReason reason) => reason.ToString().ToLowerInvariant();

    public static RunStatus ParseStatus(string name) =>
        Enum.TryParse<RunStatus>(name, ignoreCase: true, out var status) && Of(status) == name
            ? status
            : throw new FormatException($"'{name}' is not a run status.");

    public static EndReason ParseEndReason(string name) =>
        Enum.TryParse<EndReason>(name, ignoreCase: true, out var reason) && Of(reason) == name
            ? reason
            : throw new FormatException($"'{name}' is not an end reason.");
}
