using Npgsql;

namespace JobManagement.PostgreSql;

/// <summary>Recognises PostgreSQL errors by SQLSTATE (never by message text) and translates them at the journal's boundary.</summary>
internal static class PostgreSqlErrors
{
    /// <summary>Tells whether retrying the whole operation on a new connection may succeed.</summary>
    /// <remarks>
    /// Transient: Npgsql's own judgement (<see cref="NpgsqlException.IsTransient"/>: I/O and socket
    /// failures, timeouts), connection exceptions (class 08), the server shutting down or
    /// terminating the backend (57P01–57P03), serialization failures (40001) and deadlocks (40P01).
    /// </remarks>
    public static bool IsTransient(Exception exception) => exception switch
    {
        PostgresException postgres => IsTransientState(postgres.SqlState) || postgres.IsTransient,
        NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    };

    /// <summary>Tells whether the error is a unique violation (23505): another writer placed the same key first.</summary>
    public static bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public static bool IsTransientState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
        || sqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected;

    /// <summary>Wraps a provider error in the journal's exception, keeping it as the inner exception.</summary>
    public static JobJournalException Translate(NpgsqlException exception, string operation) => new(
        exception is PostgresException postgres
            ? $"The PostgreSQL journal could not {operation}: {postgres.SqlState} {postgres.MessageText}"
            : $"The PostgreSQL journal could not {operation}: {exception.Message}",
        exception);
}
