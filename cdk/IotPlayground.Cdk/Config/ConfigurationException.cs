namespace IotPlayground.Cdk.Config;

/// <summary>cdk.json is missing a value or holds a wrong one; the message names it and the fix.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException()
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
