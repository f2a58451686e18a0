namespace JobManagement;

/// <summary>
/// An open database transaction of a journal that a caller shares with it: a unit of work
/// (<see cref="IJobUnitOfWork"/>) that implements this interface gives the handler the journal's
/// connection and transaction, and the engine appends the attempt's <c>job.attempt.succeeded</c>
/// entry inside it (<see cref="ITransactionalJobEventJournal.AppendInTransactionAsync"/>), so the
/// handler's writes and the job's completion commit together or not at all.
/// </summary>
/// <remarks>
/// Implemented by each durable journal's unit of work (such as <c>SqliteJobUnitOfWork</c> and
/// <c>PostgreSqlJobUnitOfWork</c>); a journal accepts only transactions of its own kind, over its own
/// database. Not thread-safe: one attempt uses it at a time.
/// </remarks>
public interface IJobJournalTransaction
{
    /// <summary>
    /// Gets a value indicating whether the transaction has begun and is still open. Only then does the
    /// engine append the attempt's success inside it; otherwise (a unit of work the handler never used)
    /// it commits the unit of work and records the success the ordinary way.
    /// </summary>
    bool IsActive { get; }
}
