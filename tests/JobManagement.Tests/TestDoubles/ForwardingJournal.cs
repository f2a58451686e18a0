namespace JobManagement.Tests.TestDoubles;

/// <summary>A journal that is not the in-memory type (as a durable journal would be), forwarding to one.</summary>
public sealed class ForwardingJournal(IJobEventJournal inner) : IJobEventJournal
{
    private int _appends;
    private int _streamReads;

    public int Appends => Volatile.Read(ref _appends);

    /// <summary>Gets how many times a stream was read (the engine rebuilding or catching up a job).</summary>
    public int StreamReads => Volatile.Read(ref _streamReads);

    public ValueTask<AppendResult> AppendAsync(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _appends);
        return inner.AppendAsync(jobId, expectedVersion, events, cancellationToken);
    }

    public IAsyncEnumerable<JobEventLogEntry> ReadStreamAsync(JobId jobId, long fromSequence = 1, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _streamReads);
        return inner.ReadStreamAsync(jobId, fromSequence, cancellationToken);
    }

    public ValueTask<IReadOnlyList<JobEventLogEntry>> ReadAllAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(fromPosition, maxCount, cancellationToken);

    public ValueTask<IReadOnlyList<JobEventLogEntry>> FindByEventIdAsync(EventId eventId, CancellationToken cancellationToken = default) =>
        inner.FindByEventIdAsync(eventId, cancellationToken);

    public ValueTask<long> GetStreamVersionAsync(JobId jobId, CancellationToken cancellationToken = default) =>
        inner.GetStreamVersionAsync(jobId, cancellationToken);

    public ValueTask<IReadOnlyList<JobId>> FindJobsAsync(JobLookup lookup, CancellationToken cancellationToken = default) =>
        inner.FindJobsAsync(lookup, cancellationToken);

    public IAsyncEnumerable<JobEventLogEntry> FindRecordedEventsAsync(RecordedEventLookup lookup, CancellationToken cancellationToken = default) =>
        inner.FindRecordedEventsAsync(lookup, cancellationToken);
}
