namespace JobManagement.PostgreSql.Tests;

/// <summary>
/// A fact that needs a PostgreSQL server. Locally, without <c>JM_POSTGRES_CONNECTION</c>, it reports
/// itself skipped with the reason; under <c>CI=true</c> it runs, and fails with a clear message,
/// because a CI run that silently skipped the database tests would prove nothing.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute()
    {
        if (PostgreSqlServer.UnavailableReason is not null)
        {
            Skip = PostgreSqlServer.MissingMessage;
        }
    }
}
