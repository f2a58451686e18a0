namespace JobManagement;

/// <summary>
/// An optional journal capability: reading the heads of entries in global order — position, stream,
/// sequence, type, and the job type of <c>job.created</c> entries — without decoding attributes and
/// payloads or verifying checksums. The worker's poll of the journal for other processes' work reads
/// these: it only needs to know which jobs moved. Full reads (<see cref="IJobEventJournal.ReadAllAsync"/>)
/// stay the source of truth and are verified.
/// </summary>
public interface IJobEventHeadReader
{
    /// <summary>Reads entry heads from a global position, in position order, with the same no-gap guarantee as <see cref="IJobEventJournal.ReadAllAsync"/>.</summary>
    /// <param name="fromPosition">The first position to read (1 for the beginning).</param>
    /// <param name="maxCount">The most heads to return.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> heads; fewer only at the end of the journal.</returns>
    ValueTask<IReadOnlyList<JobEventHead>> ReadHeadsAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default);
}

/// <summary>The head of a journal entry: where it is and what it is, without its content.</summary>
/// <param name="Position">The entry's global position.</param>
/// <param name="JobId">The stream it belongs to.</param>
/// <param name="Sequence">Its sequence in the stream.</param>
/// <param name="EventType">Its event type.</param>
/// <param name="CreatedJobType">For a <c>job.created</c> entry, the job's type; otherwise null.</param>
public readonly record struct JobEventHead(long Position, JobId JobId, long Sequence, EventTypeId EventType, JobType? CreatedJobType);
