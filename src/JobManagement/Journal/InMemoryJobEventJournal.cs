using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;

namespace JobManagement;

/// <summary>
/// The default journal: everything in process memory, guarded by one lock. Fast and exact, but
/// nothing survives a restart; use the SQLite or PostgreSQL journal for anything you must keep.
/// </summary>
/// <remarks>Thread-safe. Memory grows with the journal: there is no eviction (the journal is the truth).</remarks>
public sealed class InMemoryJobEventJournal : IJobEventJournal, IJobEventHeadReader
{
    private readonly Lock _gate = new();
    private readonly List<JobEventLogEntry> _all = [];
    private readonly Dictionary<JobId, List<JobEventLogEntry>> _streams = [];
    private readonly MultiMap<EventId, JobEventLogEntry> _byEventId = new();
    private readonly JournalIndexes _indexes = new();

    /// <summary>Gets the number of entries in the journal.</summary>
    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _all.Count;
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateAppend(jobId, events);
        cancellationToken.ThrowIfCancellationRequested();

        lock (_gate)
        {
            _streams.TryGetValue(jobId, out List<JobEventLogEntry>? stream);
            long version = stream?.Count ?? 0;
            var outcomes = new AppendOutcome[events.Count];
            int fresh = 0;
            for (int i = 0; i < events.Count; i++)
            {
                NewJobEvent next = events[i];
                if (FindInStream(jobId, next.EventId) is { } original)
                {
                    outcomes[i] = new AppendOutcome(original, IsDuplicate: true, IsConflict: !next.HasSameContentAs(original));
                }
                else
                {
                    fresh++;
                }
            }

            if (fresh > 0 && !expectedVersion.IsMetBy(version))
            {
                throw new JobConcurrencyException(jobId, expectedVersion, version);
            }

            if (fresh > 0 && stream is null)
            {
                stream = [];
                _streams.Add(jobId, stream);
            }

            for (int i = 0; i < events.Count; i++)
            {
                if (outcomes[i].Entry is null)
                {
                    outcomes[i] = new AppendOutcome(Store(jobId, stream!, events[i], ++version), IsDuplicate: false, IsConflict: false);
                }
            }

            return ValueTask.FromResult(new AppendResult(jobId, version, ImmutableCollectionsMarshal.AsImmutableArray(outcomes)));
        }
    }

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(JobId jobId, ExpectedStreamVersion expectedVersion, NewJobEvent newEvent, CancellationToken cancellationToken = default)
    {
        // The engine's hot path (one event per ingest): the batch logic without the batch wrapper.
        JournalArguments.ThrowIfDefault(jobId.IsDefault, nameof(jobId));
        ArgumentNullException.ThrowIfNull(newEvent);
        if (newEvent.EventId.IsDefault || newEvent.EventType.IsDefault)
        {
            throw new ArgumentException("The event has a default EventId or EventType.", nameof(newEvent));
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _streams.TryGetValue(jobId, out List<JobEventLogEntry>? stream);
            long version = stream?.Count ?? 0;
            if (FindInStream(jobId, newEvent.EventId) is { } original)
            {
                return ValueTask.FromResult(new AppendResult(jobId, version, [new AppendOutcome(original, IsDuplicate: true, IsConflict: !newEvent.HasSameContentAs(original))]));
            }

            if (!expectedVersion.IsMetBy(version))
            {
                throw new JobConcurrencyException(jobId, expectedVersion, version);
            }

            if (stream is null)
            {
                stream = [];
                _streams.Add(jobId, stream);
            }

            JobEventLogEntry entry = Store(jobId, stream, newEvent, version + 1);
            return ValueTask.FromResult(new AppendResult(jobId, version + 1, [new AppendOutcome(entry, IsDuplicate: false, IsConflict: false)]));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JobEventLogEntry> ReadStreamAsync(JobId jobId, long fromSequence = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateRead(jobId, fromSequence);
        JobEventLogEntry[] snapshot;
        lock (_gate)
        {
            snapshot = _streams.TryGetValue(jobId, out List<JobEventLogEntry>? stream) && fromSequence <= stream.Count
                ? stream.GetRange((int)(fromSequence - 1), stream.Count - (int)(fromSequence - 1)).ToArray()
                : [];
        }

        foreach (JobEventLogEntry entry in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JobEventLogEntry>> ReadAllAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromPosition, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (fromPosition > _all.Count)
            {
                return ValueTask.FromResult<IReadOnlyList<JobEventLogEntry>>([]);
            }

            int start = (int)(fromPosition - 1);
            int count = Math.Min(maxCount, _all.Count - start);
            return ValueTask.FromResult<IReadOnlyList<JobEventLogEntry>>(_all.GetRange(start, count).ToArray());
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobEventHead>> ReadHeadsAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<JobEventLogEntry> entries = await ReadAllAsync(fromPosition, maxCount, cancellationToken).ConfigureAwait(false);
        var heads = new JobEventHead[entries.Count];
        for (int i = 0; i < heads.Length; i++)
        {
            JobEventLogEntry entry = entries[i];
            heads[i] = new JobEventHead(entry.Position, entry.JobId, entry.Sequence, entry.EventType, JobCreatedFact.TryRead(entry, out JobType type, out _) ? type : null);
        }

        return heads;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JobEventLogEntry>> FindByEventIdAsync(EventId eventId, CancellationToken cancellationToken = default)
    {
        JournalArguments.ThrowIfDefault(eventId.IsDefault, nameof(eventId));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<JobEventLogEntry>>(_byEventId.Get(eventId));
        }
    }

    /// <inheritdoc />
    public ValueTask<long> GetStreamVersionAsync(JobId jobId, CancellationToken cancellationToken = default)
    {
        JournalArguments.ThrowIfDefault(jobId.IsDefault, nameof(jobId));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<long>(_streams.TryGetValue(jobId, out List<JobEventLogEntry>? stream) ? stream.Count : 0);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JobId>> FindJobsAsync(JobLookup lookup, CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateLookup(lookup);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult<IReadOnlyList<JobId>>(_indexes.FindJobs(lookup));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JobEventLogEntry> FindRecordedEventsAsync(RecordedEventLookup lookup, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateLookup(lookup);
        IReadOnlyList<JobEventLogEntry> found;
        lock (_gate)
        {
            found = _indexes.FindRecordedEvents(lookup);
        }

        foreach (JobEventLogEntry entry in found)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>Places one new event at the end of its stream and of the journal, and indexes it. Caller holds the lock.</summary>
    private JobEventLogEntry Store(JobId jobId, List<JobEventLogEntry> stream, NewJobEvent newEvent, long sequence)
    {
        JobEventLogEntry entry = newEvent.ToEntry(jobId, sequence, _all.Count + 1);
        _all.Add(entry);
        stream.Add(entry);
        _byEventId.Add(entry.EventId, entry);
        _indexes.Add(entry);
        return entry;
    }

    /// <summary>The entry already in the stream with the event id, or null.</summary>
    private JobEventLogEntry? FindInStream(JobId jobId, EventId eventId) =>
        _byEventId.Find(eventId, jobId, static (entry, stream) => entry.JobId == stream);
}
