using System.ComponentModel.DataAnnotations;
using IotPlayground.Domain;

namespace IotPlayground.Postgres;

public sealed class PostgresOptions
{
    public const string Section = "Postgres";

    /// <summary>
    /// Whether the API brings the schema and roles up to date when it starts. Off where it connects as the application
    /// role, which may not change the schema: there the <c>migrate</c> command runs first, with the owner's credentials.
    /// </summary>
    public bool MigrateAtStartup { get; set; } = true;

    /// <summary>
    /// RUNNING runs the run store lets hold a slot at once: the business rule's five behind the API; tests and tools
    /// that need another quota configure their store with it.
    /// </summary>
    [Range(1, RunRules.NoQuota)]
    public int MaxRunning { get; set; } = RunRules.MaxRunning;
}

/// <summary>A login role the migrations create and keep up to date; managed only when its password is configured.</summary>
public abstract class PostgresRoleOptions
{
    /// <summary>Lower case, so that it reads the same quoted or not in a client's configuration.</summary>
    [Required]
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "A role name is 1-63 characters of a-z, 0-9 and _, not starting with a digit.")]
    public string Username { get; set; } = "";

    public string? Password { get; set; }

    public bool IsManaged => !string.IsNullOrEmpty(Password);
}

/// <summary>The role the container API connects as in ECS: the rights its stores use, nothing more.</summary>
public sealed class ApplicationRoleOptions : PostgresRoleOptions
{
    public const string Section = "Postgres:ApplicationRole";

    public ApplicationRoleOptions() => Username = "iotplayground_app";
}

/// <summary>The role Grafana's PostgreSQL datasource connects as, on behalf of anonymous viewers too.</summary>
public sealed class GrafanaRoleOptions : PostgresRoleOptions
{
    public const string Section = "Postgres:GrafanaRole";

    public GrafanaRoleOptions() => Username = "iotplayground_grafana";

    /// <summary>A dashboard query runs seconds at most; anything longer is a viewer's query that holds the database.</summary>
    [Range(1, 300)]
    public int StatementTimeoutSeconds { get; set; } = 10;

    /// <summary>Grafana pools a few connections; more would let viewers crowd out the API.</summary>
    [Range(1, 100)]
    public int ConnectionLimit { get; set; } = 5;
}
