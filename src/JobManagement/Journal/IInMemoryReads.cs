namespace JobManagement;

/// <summary>
/// A journal that may say its reads cost no I/O, because it holds every entry in this process's memory. The engine then
/// lets a job queued behind a long queue wait without its fold: it remembers only the job's version and status, and the
/// job's claim rebuilds the fold from the journal's few entries (see <see cref="JobStateCache.SetQueued"/>). Only the
/// in-memory journal says so.
/// </summary>
internal interface IInMemoryReads
{
    /// <summary>Gets a value indicating whether reading a stream costs no I/O (no disk, no network, no wait).</summary>
    bool ReadsAreInMemory { get; }

    /// <summary>
    /// Reads a stream's entries from <paramref name="fromSequence"/> on, at once, as <see cref="IJobEventJournal.ReadStreamAsync"/>
    /// would yield them: the rebuild of a queued job's fold at its claim needs no asynchronous enumerator. Only called when
    /// <see cref="ReadsAreInMemory"/> is true.
    /// </summary>
    IReadOnlyList<JobEventLogEntry> ReadStream(JobId jobId, long fromSequence);
}
