using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance.Features;

/// <summary>
/// A journal that forwards every call to the journal under test, with hooks at the points where engines
/// race: a test uses them to play a process that dies at one exact point (the hook throws) or to force an
/// interleaving with another node (the hook acts on the other node first). Disposes the journal it wraps.
/// </summary>
public sealed class HookJournal(IJobEventJournal inner) : IJobEventJournal, IJobCreationCounter, IInMemoryReads, IAsyncDisposable
{
    /// <summary>Forwarded, so engines over this journal route as they do over the one it wraps.</summary>
    long? IJobCreationCounter.JobsCreated => (inner as IJobCreationCounter)?.JobsCreated;

    /// <summary>
    /// Gets a value indicating whether this journal says its reads cost no I/O, as the in-memory journal does (then the engine lets
    /// queued jobs wait without their folds). Not forwarded: a hook may do anything, so a test opts in.
    /// </summary>
    public bool ReadsAreInMemory { get; init; }

    /// <summary>Forwarded to the in-memory journal this one wraps (only asked when <see cref="ReadsAreInMemory"/>), with <see cref="OnReadStream"/> first.</summary>
    IReadOnlyList<JobEventLogEntry> IInMemoryReads.ReadStream(JobId jobId, long fromSequence)
    {
        OnReadStream?.Invoke(jobId);
        return ((IInMemoryReads)inner).ReadStream(jobId, fromSequence);
    }

    /// <summary>Gets or sets what runs between an event-id lookup and its answer (the caller has not seen it yet).</summary>
    public Func<EventId, Task>? BeforeFindByEventId { get; set; }

    /// <summary>Gets or sets what runs before a job-index lookup reaches the journal under test.</summary>
    public Func<JobLookup, Task>? BeforeFindJobs { get; set; }

    /// <summary>Gets or sets what runs before each append reaches the journal under test (throw to fail the append).</summary>
    public Func<JobId, IReadOnlyList<NewJobEvent>, Task>? BeforeAppend { get; set; }

    /// <summary>Gets or sets what runs when a stream read starts (a test counts reads with it).</summary>
    public Action<JobId>? OnReadStream { get; set; }

    /// <summary>Gets the journal under test.</summary>
    public IJobEventJournal Inner => inner;

    public async ValueTask<AppendResult> AppendAsync(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken = default)
    {
        if (BeforeAppend is { } hook)
        {
            await hook(jobId, events);
        }

        return await inner.AppendAsync(jobId, expectedVersion, events, cancellationToken);
    }

    public IAsyncEnumerable<JobEventLogEntry> ReadStreamAsync(JobId jobId, long fromSequence = 1, CancellationToken cancellationToken = default)
    {
        OnReadStream?.Invoke(jobId);
        return inner.ReadStreamAsync(jobId, fromSequence, cancellationToken);
    }

    public ValueTask<IReadOnlyList<JobEventLogEntry>> ReadAllAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default) =>
        inner.ReadAllAsync(fromPosition, maxCount, cancellationToken);

    public async ValueTask<IReadOnlyList<JobEventLogEntry>> FindByEventIdAsync(EventId eventId, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<JobEventLogEntry> found = await inner.FindByEventIdAsync(eventId, cancellationToken);
        if (BeforeFindByEventId is { } hook)
        {
            await hook(eventId);
        }

        return found;
    }

    public ValueTask<long> GetStreamVersionAsync(JobId jobId, CancellationToken cancellationToken = default) =>
        inner.GetStreamVersionAsync(jobId, cancellationToken);

    public async ValueTask<IReadOnlyList<JobId>> FindJobsAsync(JobLookup lookup, CancellationToken cancellationToken = default)
    {
        if (BeforeFindJobs is { } hook)
        {
            await hook(lookup);
        }

        return await inner.FindJobsAsync(lookup, cancellationToken);
    }

    public IAsyncEnumerable<JobEventLogEntry> FindRecordedEventsAsync(RecordedEventLookup lookup, CancellationToken cancellationToken = default) =>
        inner.FindRecordedEventsAsync(lookup, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        switch (inner)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }
}
