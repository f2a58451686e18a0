namespace JobManagement.PostgreSql.Tests;

/// <summary>Where the tests find their PostgreSQL server: the <c>JM_POSTGRES_CONNECTION</c> environment variable.</summary>
internal static class PostgreSqlServer
{
    public const string Variable = "JM_POSTGRES_CONNECTION";

    public const string MissingMessage = $"{Variable} is not set: no PostgreSQL server for these tests. Start one with `.ci/postgres.sh /tmp/pg.env && . /tmp/pg.env`.";

    public static string? ConnectionString { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool IsCi { get; } = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets why the tests cannot run here (no server, and not under CI=true, where a missing server must fail instead), or null.</summary>
    public static string? UnavailableReason => ConnectionString is null && !IsCi ? MissingMessage : null;

    /// <summary>Gets the connection string, or fails the test when there is none (only reached under CI=true).</summary>
    public static string RequireConnectionString() =>
        ConnectionString ?? throw new InvalidOperationException($"CI=true but {MissingMessage} .ci/run must start PostgreSQL before the tests.");
}
