using Microsoft.Extensions.Logging;

namespace JobManagement.PostgreSql;

/// <summary>Source-generated log messages of the PostgreSQL journal. Event ids 1200–1299 (listed in docs/telemetry.md).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "PostgreSQL reports synchronous_commit = {Setting} for the journal in schema {Schema}: an acknowledged append may be lost if the server crashes (the database stays consistent). Set synchronous_commit to on (or local/remote_write/remote_apply) for full durability.")]
    public static partial void SynchronousCommitOff(ILogger logger, string setting, string schema);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "The PostgreSQL journal (schema {Schema}) hit a transient error during {Operation}; retry {Attempt} in {Delay}.")]
    public static partial void TransientRetry(ILogger logger, Exception exception, string schema, string operation, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "A batch of {Count} append(s) to the PostgreSQL journal (schema {Schema}) hit a unique violation, an unreadable row or another database error; committing it again one request at a time, each in its own savepoint.")]
    public static partial void BatchFallback(ILogger logger, Exception exception, string schema, int count);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "The connection dropped while committing a batch to the PostgreSQL journal (schema {Schema}); the server reports transaction {TransactionId} as {Status}.")]
    public static partial void CommitOutcomeChecked(ILogger logger, string schema, ulong transactionId, string status);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "The connection dropped while committing a batch to the PostgreSQL journal (schema {Schema}) in one round trip; {Found} of its {Planned} planned row(s) are in the table, so it {Committed:committed;did not commit}.")]
    public static partial void OptimisticOutcomeChecked(ILogger logger, string schema, int planned, long found, bool committed);
}
