namespace JobManagement;

/// <summary>
/// A hook around each attempt, resolved from the attempt's DI scope when registered (scoped):
/// begun before the handler runs, committed when it succeeds (before the success is journalled),
/// rolled back when it throws. Use it to give a handler a database transaction.
/// </summary>
/// <remarks>
/// What is atomic: the handler's writes inside the unit of work commit or roll back together. What is
/// not: the commit and the journal's <c>job.attempt.succeeded</c> entry are two steps. If the process dies
/// between them, the job's lease expires and the attempt runs again — execution is at-least-once, so a
/// handler whose writes are committed must make its second run harmless (for example by recording the job
/// id in the same transaction and checking it first). See docs/execution.md.
/// <para>Unless the unit of work shares the journal's transaction: when it also implements
/// <see cref="IJobJournalTransaction"/> (such as <c>SqliteJobUnitOfWork</c> or <c>PostgreSqlJobUnitOfWork</c>)
/// and the journal is an <see cref="ITransactionalJobEventJournal"/>, the success entry is appended inside the
/// handler's transaction before <see cref="CommitAsync"/>, so the handler's writes and the job's completion
/// are one commit. See docs/journals.md, "Unit of work".</para>
/// </remarks>
public interface IJobUnitOfWork
{
    /// <summary>Begins the unit of work for an attempt.</summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it has begun.</returns>
    ValueTask BeginAsync(JobAttemptInfo attempt, CancellationToken cancellationToken);

    /// <summary>Commits, after the handler succeeded.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when committed. If it throws, the attempt fails.</returns>
    ValueTask CommitAsync(CancellationToken cancellationToken);

    /// <summary>Rolls back, after the handler failed or was cancelled.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when rolled back.</returns>
    ValueTask RollbackAsync(CancellationToken cancellationToken);
}

/// <summary>Names one attempt of a job.</summary>
/// <param name="JobId">The job.</param>
/// <param name="JobType">The job's type.</param>
/// <param name="Attempt">The attempt's number, from 1.</param>
public readonly record struct JobAttemptInfo(JobId JobId, JobType JobType, int Attempt);
