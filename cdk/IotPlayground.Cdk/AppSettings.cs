namespace IotPlayground.Cdk;

/// <summary>
/// Names of the settings the shipped apps read from their environment: the contract between this
/// infrastructure and the code in apps/ and lambdas/. The functions' settings, and the container API's that the HTTP
/// application owns, are <see cref="IotPlayground.Contract.SettingNames"/>.
/// </summary>
public static class AppSettings
{
    public static class ContainerApi
    {
        public const int Port = 8080;
        /// <summary>Readiness: 503 while PostgreSQL is unreachable. Part of the HTTP contract.</summary>
        public const string HealthPath = "/health";

        /// <summary>Liveness: 200 while the process is up, whatever the store's state. What the load balancer asks.</summary>
        public const string LivenessPath = "/alive";

        public const string MetricsPath = "/metrics";

        /// <summary>The image's argument that applies the schema migrations and the database roles, then exits.</summary>
        public const string MigrateCommand = "migrate";

        public const string ConnectionString = "ConnectionStrings__Postgres";
        public const string DatabaseUsername = "Postgres__Username";
        public const string DatabasePassword = "Postgres__Password";
        public const string MigrateAtStartup = "Postgres__MigrateAtStartup";
        public const string ApplicationRoleUsername = "Postgres__ApplicationRole__Username";
        public const string ApplicationRolePassword = "Postgres__ApplicationRole__Password";
        public const string GrafanaRoleUsername = "Postgres__GrafanaRole__Username";
        public const string GrafanaRolePassword = "Postgres__GrafanaRole__Password";
    }

    public static class Grafana
    {
        public const int Port = 3000;
        public const string HealthPath = "/api/health";
        public const string AdminPassword = "GF_SECURITY_ADMIN_PASSWORD";
        public const string Architecture = "IOT_ARCHITECTURE";
        public const string PrometheusUrl = "PROMETHEUS_URL";
        public const string PostgresHost = "POSTGRES_HOST";
        public const string PostgresDatabase = "POSTGRES_DB";
        public const string PostgresUser = "POSTGRES_USER";
        public const string PostgresPassword = "POSTGRES_PASSWORD";
        public const string AwsRegion = "AWS_REGION";
        public const string AnonymousViewers = "GF_AUTH_ANONYMOUS_ENABLED";
    }

    public static class Prometheus
    {
        public const int Port = 9090;
    }

    /// <summary>
    /// Private DNS names (Cloud Map) through which Prometheus finds the API tasks and Grafana finds
    /// Prometheus. apps/prometheus/prometheus.yml scrapes <see cref="ApiServiceName"/> in this namespace.
    /// </summary>
    public static class ServiceDiscovery
    {
        public const string Namespace = "iot-playground.internal";
        public const string ApiServiceName = "api";
        public const string PrometheusServiceName = "prometheus";

        public static string HostName(string service) => $"{service}.{Namespace}";
    }

    public static class Database
    {
        public const string Name = "iotplayground";

        /// <summary>The master user: owns the schema, runs the migrations, and nothing else.</summary>
        public const string Username = "iotplayground";

        /// <summary>What the API connects as: the rights its stores use.</summary>
        public const string ApplicationRole = "iotplayground_app";

        /// <summary>What Grafana's datasource connects as: SELECT on what the panels read, read-only, time-limited.</summary>
        public const string GrafanaRole = "iotplayground_grafana";

        public const int Port = 5432;
    }
}
