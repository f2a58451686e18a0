namespace JobManagement;

/// <summary>
/// A journal that can also append inside a caller's open transaction (<see cref="IJobJournalTransaction"/>),
/// so that the caller's own writes and the appended entries commit together. An optional capability:
/// the engine uses it, when the journal has it and the attempt's unit of work is such a transaction,
/// to make a handler's writes and the attempt's success one commit.
/// </summary>
/// <remarks>
/// <para>An append in a transaction follows the rules of <see cref="IJobEventJournal.AppendAsync(JobId, ExpectedStreamVersion, IReadOnlyList{NewJobEvent}, CancellationToken)"/>:
/// idempotent by event id per stream, the expected version checked only when something new is appended,
/// uniqueness of (stream, sequence) and (stream, event id) enforced by the database. Unlike it, nothing is
/// durable or visible to other readers until the caller commits, and nothing remains if the caller rolls back.
/// Positions stay gap-safe: the append takes the same lock as the journal's own writer (held until the
/// caller's transaction ends), so positions still become visible in increasing order.</para>
/// <para>While the caller's transaction is open after such an append, the journal's other appends wait for
/// it: commit or roll back promptly.</para>
/// </remarks>
public interface ITransactionalJobEventJournal : IJobEventJournal
{
    /// <summary>Appends a batch to one stream inside the caller's open transaction: all new events, or none.</summary>
    /// <param name="transaction">The caller's open transaction; it must belong to this journal.</param>
    /// <param name="jobId">The stream.</param>
    /// <param name="expectedVersion">The version the stream must be at; checked only when something new is appended.</param>
    /// <param name="events">The events, in order; at least one.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>One outcome per event, and the stream's version afterwards (as it will be once committed).</returns>
    /// <exception cref="JobConcurrencyException">The stream is not at <paramref name="expectedVersion"/>; nothing was appended and the transaction is still usable.</exception>
    /// <exception cref="ArgumentException">The transaction is not one of this journal's.</exception>
    /// <exception cref="InvalidOperationException">The transaction is not open.</exception>
    ValueTask<AppendResult> AppendInTransactionAsync(IJobJournalTransaction transaction, JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken = default);
}
