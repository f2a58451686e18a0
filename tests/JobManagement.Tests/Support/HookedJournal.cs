using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Support;

/// <summary>
/// An in-memory journal with a hook before each event-id lookup, so a test can hold two callers at
/// the same point and force an interleaving instead of hoping the scheduler produces it.
/// </summary>
public sealed class HookedJournal(InMemoryJobEventJournal inner) : IJobEventJournal, IJobCreationCounter
{
    // Forwarded, so engines over this journal take the same routing path as over the in-memory one.
    long IJobCreationCounter.JobsCreated => ((IJobCreationCounter)inner).JobsCreated;

    public Func<EventId, Task>? BeforeFindByEventId { get; set; }

    public Func<JobId, IReadOnlyList<NewJobEvent>, Task>? BeforeAppend { get; set; }

    public Func<JobLookup, Task>? BeforeFindJobs { get; set; }

    public async ValueTask<AppendResult> AppendAsync(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken = default)
    {
        if (BeforeAppend is { } hook)
        {
            await hook(jobId, events);
        }

        return await inner.AppendAsync(jobId, expectedVersion, events, cancellationToken);
    }

    public IAsyncEnumerable<JobEventLogEntry> ReadStreamAsync(JobId jobId, long fromSequence = 1, CancellationToken cancellationToken = default) =>
        inner.ReadStreamAsync(jobId, fromSequence, cancellationToken);

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
}
