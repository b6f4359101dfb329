namespace IotPlayground.Domain.Tests.Services;

/// <summary>Callers as the contract layer hands them to the services: names already checked.</summary>
internal static class Users
{
    public static UserName Named(string name) =>
        UserName.TryParse(name, out var user) ? user : throw new ArgumentException($"'{name}' is not a user name.", nameof(name));
}
