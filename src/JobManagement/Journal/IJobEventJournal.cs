namespace JobManagement;

/// <summary>
/// The append-only store of job streams: the single source of truth from which every job's state
/// is derived. Every journal (in-memory, SQLite, PostgreSQL) implements this contract and passes
/// the same conformance suite.
/// </summary>
/// <remarks>
/// <para><b>Append-only.</b> No member updates or deletes an entry.</para>
/// <para><b>Idempotent.</b> An event id appears at most once per stream. Appending an id the
/// stream already holds appends nothing and reports the original (and whether the content
/// differed). The engine adds the global guarantee: one event fanned out to several jobs is one
/// entry per job, and a redelivery appends nothing anywhere.</para>
/// <para><b>One job per creation.</b> The one exception to per-stream uniqueness: a <c>job.created</c>
/// entry (<see cref="JobCreatedFact.IsCreation"/>) whose event id is already the id of any entry in another
/// stream is refused with <see cref="JobCreationConflictException"/>. Its event id is the creating request's id,
/// so a request creates at most one job, also when several processes share the journal, and an id already
/// used by another fact (a domain event, say) never names a creation.</para>
/// <para><b>Ordered.</b> Sequences are 1..n per stream with no gaps; positions increase globally.</para>
/// <para>Implementations are thread-safe.</para>
/// </remarks>
public interface IJobEventJournal
{
    /// <summary>
    /// Appends a batch to one stream atomically: all new events are appended, or none. Events whose
    /// id the stream already holds are reported as duplicates; a batch that names one event id twice is refused.
    /// </summary>
    /// <remarks>
    /// A new <c>job.created</c> entry (execution lane) whose event id is already the id of <em>any</em> entry
    /// (of any type or lane) in a <em>different</em> stream refuses the whole batch: one creation request makes
    /// one job, and a creation's id is its own. The exception names the oldest such entry's stream and type
    /// (<see cref="JobCreationConflictException.ExistingEventType"/> is <c>job.created</c> when the id already
    /// created a job). Redelivered to its own stream a <c>job.created</c> is a duplicate as usual; other entries,
    /// domain events above all, may share an id across streams (fan-out).
    /// </remarks>
    /// <param name="jobId">The stream.</param>
    /// <param name="expectedVersion">The version the stream must be at; checked only when something new is appended.</param>
    /// <param name="events">The events, in order; at least one.</param>
    /// <param name="cancellationToken">Cancels the append before it commits.</param>
    /// <returns>One outcome per event, and the stream's version afterwards.</returns>
    /// <exception cref="JobConcurrencyException">The stream is not at <paramref name="expectedVersion"/>; nothing was appended.</exception>
    /// <exception cref="JobCreationConflictException">A new <c>job.created</c> entry's event id is already used in another stream; nothing was appended.</exception>
    /// <exception cref="ArgumentException">The batch is empty, holds a null or default event, or names one event id twice (the parameter is named); nothing was appended.</exception>
    ValueTask<AppendResult> AppendAsync(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Appends one event: the same as the batch form with a batch of one. Journals may override it to skip the batch wrapper.</summary>
    /// <param name="jobId">The stream.</param>
    /// <param name="expectedVersion">The version the stream must be at; checked only when the event is new.</param>
    /// <param name="newEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the append before it commits.</param>
    /// <returns>The outcome, and the stream's version afterwards.</returns>
    /// <exception cref="JobConcurrencyException">The stream is not at <paramref name="expectedVersion"/>; nothing was appended.</exception>
    /// <exception cref="JobCreationConflictException">The event is a <c>job.created</c> whose id is already used in another stream; nothing was appended.</exception>
    ValueTask<AppendResult> AppendAsync(JobId jobId, ExpectedStreamVersion expectedVersion, NewJobEvent newEvent, CancellationToken cancellationToken = default) =>
        AppendAsync(jobId, expectedVersion, [newEvent], cancellationToken);

    /// <summary>Reads one stream in sequence order, starting at <paramref name="fromSequence"/>.</summary>
    /// <param name="jobId">The stream.</param>
    /// <param name="fromSequence">The first sequence to read (1 for the whole stream).</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The entries; none when the stream does not exist.</returns>
    IAsyncEnumerable<JobEventLogEntry> ReadStreamAsync(JobId jobId, long fromSequence = 1, CancellationToken cancellationToken = default);

    /// <summary>Reads entries of every stream in position order, starting at <paramref name="fromPosition"/>.</summary>
    /// <param name="fromPosition">The first position to read (1 for the whole journal).</param>
    /// <param name="maxCount">The most entries to return.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> entries; fewer only at the end of the journal.</returns>
    ValueTask<IReadOnlyList<JobEventLogEntry>> ReadAllAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Finds every entry carrying an event id: one per stream it reached, in position order.</summary>
    /// <param name="eventId">The event id.</param>
    /// <param name="cancellationToken">Stops the lookup.</param>
    /// <returns>The entries; empty when the id was never recorded.</returns>
    ValueTask<IReadOnlyList<JobEventLogEntry>> FindByEventIdAsync(EventId eventId, CancellationToken cancellationToken = default);

    /// <summary>Gets a stream's version: the sequence of its last entry, or 0 when it has none.</summary>
    /// <param name="jobId">The stream.</param>
    /// <param name="cancellationToken">Stops the lookup.</param>
    /// <returns>The version.</returns>
    ValueTask<long> GetStreamVersionAsync(JobId jobId, CancellationToken cancellationToken = default);

    /// <summary>Finds jobs in the index derived from <c>job.created</c> entries, in creation order.</summary>
    /// <param name="lookup">The job type and optional correlation value.</param>
    /// <param name="cancellationToken">Stops the lookup.</param>
    /// <returns>The matching job ids.</returns>
    ValueTask<IReadOnlyList<JobId>> FindJobsAsync(JobLookup lookup, CancellationToken cancellationToken = default);

    /// <summary>Finds recorded domain-lane entries of every stream by type and/or attribute, in position order.</summary>
    /// <param name="lookup">What to look for.</param>
    /// <param name="cancellationToken">Stops the lookup.</param>
    /// <returns>The entries; an event fanned out to several streams appears once per stream.</returns>
    IAsyncEnumerable<JobEventLogEntry> FindRecordedEventsAsync(RecordedEventLookup lookup, CancellationToken cancellationToken = default);
}
