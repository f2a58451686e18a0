using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;

namespace JobManagement;

/// <summary>
/// The default journal: everything in process memory, guarded by one lock. Fast and exact, but
/// nothing survives a restart; use the SQLite or PostgreSQL journal for anything you must keep.
/// </summary>
/// <remarks>Thread-safe. Memory grows with the journal: there is no eviction (the journal is the truth).</remarks>
public sealed class InMemoryJobEventJournal : IJobEventJournal, IJobEventHeadReader, IJobCreationCounter, IInMemoryReads
{
    private readonly Lock _gate = new();

    // Entries live in struct chunks and every lookup names them by index (position - 1), so an
    // append keeps no new object alive: a busy in-memory journal costs the collector almost
    // nothing (a kept entry object per event was the largest cost of an ingest). Readers get
    // JobEventLogEntry objects made on demand.
    private readonly StoredEntries _entries;
    // Each stream is a chain through its entries (StoredEntry.PreviousInStream): the map keeps its last entry and
    // its length, so a job's stream costs no object (a list per job was two objects for every young collection to copy).
    private readonly StreamIndex _streams;
    private readonly EventIdIndex _latestByEventId;
    private readonly JournalIndexes _indexes = new();
    private long _jobsCreated;

    /// <summary>Creates an empty journal.</summary>
    public InMemoryJobEventJournal()
    {
        _entries = new StoredEntries();
        _latestByEventId = new EventIdIndex(_entries);
        _streams = new StreamIndex(_entries);
    }

    /// <summary>Gets the number of entries in the journal.</summary>
    public long Count
    {
        get
        {
            using (Enter())
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>
    /// Takes the journal's lock for one operation. Leaving the scope releases it and keeps the journal reachable up to that
    /// point: its native memory is freed when the journal is collected, and a caller may hold no other reference to it while
    /// an operation still reads that memory.
    /// </summary>
    private LockScope Enter()
    {
        _gate.Enter();
        return new LockScope(this);
    }

    /// <summary>Gets the bytes of native memory the journal holds (its entries and its two indexes), which the collector's figures leave out.</summary>
    internal long NativeBytes
    {
        get
        {
            using (Enter())
            {
                return _entries.NativeBytes + _latestByEventId.NativeBytes + _streams.NativeBytes;
            }
        }
    }

    /// <inheritdoc />
    long? IJobCreationCounter.JobsCreated => Volatile.Read(ref _jobsCreated);

    /// <inheritdoc />
    bool IInMemoryReads.ReadsAreInMemory => true;

    /// <inheritdoc />
    IReadOnlyList<JobEventLogEntry> IInMemoryReads.ReadStream(JobId jobId, long fromSequence) => ReadStream(jobId, fromSequence);

    /// <inheritdoc />
    public ValueTask<AppendResult> AppendAsync(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateAppend(jobId, events);
        cancellationToken.ThrowIfCancellationRequested();

        using (Enter())
        {
            int stream = _streams.TryGet(jobId, out StreamTail tail) ? tail.Stream : -1;
            long version = stream < 0 ? 0 : tail.Count;
            var outcomes = new AppendOutcome[events.Count];
            var few = default(FewLookups);
            Span<IdLookup> lookups = events.Count <= FewLookups.Length ? ((Span<IdLookup>)few)[..events.Count] : new IdLookup[events.Count];
            int fresh = 0;
            for (int i = 0; i < events.Count; i++)
            {
                NewJobEvent next = events[i];
                var id = StoredEventId.From(next.EventId);
                lookups[i] = new IdLookup(id, _latestByEventId.Latest(id, out EventIdIndex.Probe probe), probe);
                if (FindInStream(stream, lookups[i].Latest) is { } original)
                {
                    JobEventLogEntry entry = Materialize(original);
                    outcomes[i] = new AppendOutcome(entry, IsDuplicate: true, IsConflict: !next.HasSameContentAs(entry));
                }
                else
                {
                    fresh++;
                }
            }

            if (fresh > 0)
            {
                ThrowIfCreatedElsewhere(jobId, stream, events, lookups, outcomes);
            }

            if (fresh > 0 && !expectedVersion.IsMetBy(version))
            {
                throw new JobConcurrencyException(jobId, expectedVersion, version);
            }

            for (int i = 0; i < events.Count; i++)
            {
                if (outcomes[i].Entry is null)
                {
                    // Looked up again only when an earlier event of the batch was stored where this lookup looked.
                    (StoredEventId id, int latest, EventIdIndex.Probe probe) = lookups[i];
                    if (!_latestByEventId.IsCurrent(probe))
                    {
                        latest = _latestByEventId.Latest(id, out probe);
                    }

                    outcomes[i] = new AppendOutcome(Store(jobId, events[i], id, latest, probe, ++version), IsDuplicate: false, IsConflict: false);
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
        using (Enter())
        {
            int stream = _streams.TryGet(jobId, out StreamTail tail) ? tail.Stream : -1;
            long version = stream < 0 ? 0 : tail.Count;
            var id = StoredEventId.From(newEvent.EventId);
            int latest = _latestByEventId.Latest(id, out EventIdIndex.Probe probe);
            if (FindInStream(stream, latest) is { } original)
            {
                JobEventLogEntry entry = Materialize(original);
                return ValueTask.FromResult(new AppendResult(jobId, version, new AppendOutcome(entry, IsDuplicate: true, IsConflict: !newEvent.HasSameContentAs(entry))));
            }

            if (JobCreatedFact.IsCreation(newEvent.Lane, newEvent.EventType) && UsedElsewhere(stream, latest) is { } existing)
            {
                throw Conflict(newEvent.EventId, existing, jobId);
            }

            if (!expectedVersion.IsMetBy(version))
            {
                throw new JobConcurrencyException(jobId, expectedVersion, version);
            }

            JobEventLogEntry stored = Store(jobId, newEvent, id, latest, probe, version + 1);
            return ValueTask.FromResult(new AppendResult(jobId, version + 1, new AppendOutcome(stored, IsDuplicate: false, IsConflict: false)));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JobEventLogEntry> ReadStreamAsync(JobId jobId, long fromSequence = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        JobEventLogEntry[] snapshot = ReadStream(jobId, fromSequence);
        foreach (JobEventLogEntry entry in snapshot)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private JobEventLogEntry[] ReadStream(JobId jobId, long fromSequence)
    {
        JournalArguments.ValidateRead(jobId, fromSequence);
        using (Enter())
        {
            return _streams.TryGet(jobId, out StreamTail tail) && fromSequence <= tail.Count
                ? Materialize(StreamFrom(tail, (int)fromSequence))
                : [];
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JobEventLogEntry>> ReadAllAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default) =>
        ReadPage(fromPosition, maxCount, static (journal, index) => journal.Materialize(index), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JobEventHead>> ReadHeadsAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default) =>
        ReadPage(fromPosition, maxCount, static (journal, index) => journal.HeadAt(index), cancellationToken);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JobEventLogEntry>> FindByEventIdAsync(EventId eventId, CancellationToken cancellationToken = default)
    {
        JournalArguments.ThrowIfDefault(eventId.IsDefault, nameof(eventId));
        cancellationToken.ThrowIfCancellationRequested();
        using (Enter())
        {
            int index = _latestByEventId.Latest(StoredEventId.From(eventId), out _);
            if (index < 0)
            {
                return ValueTask.FromResult<IReadOnlyList<JobEventLogEntry>>([]);
            }

            // The chain runs newest first; callers get journal order.
            List<JobEventLogEntry> found = [];
            for (; index >= 0; index = _entries[index].PreviousWithSameEventId)
            {
                found.Add(Materialize(index));
            }

            found.Reverse();
            return ValueTask.FromResult<IReadOnlyList<JobEventLogEntry>>(found);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> GetStreamVersionAsync(JobId jobId, CancellationToken cancellationToken = default)
    {
        JournalArguments.ThrowIfDefault(jobId.IsDefault, nameof(jobId));
        cancellationToken.ThrowIfCancellationRequested();
        using (Enter())
        {
            return ValueTask.FromResult<long>(_streams.TryGet(jobId, out StreamTail tail) ? tail.Count : 0);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JobId>> FindJobsAsync(JobLookup lookup, CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateLookup(lookup);
        cancellationToken.ThrowIfCancellationRequested();
        using (Enter())
        {
            return ValueTask.FromResult<IReadOnlyList<JobId>>(_indexes.FindJobs(lookup));
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JobEventLogEntry> FindRecordedEventsAsync(RecordedEventLookup lookup, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateLookup(lookup);
        List<JobEventLogEntry> found = [];
        using (Enter())
        {
            foreach (int index in _indexes.FindRecordedEvents(lookup) ?? [])
            {
                if (lookup.AttributeKey is null || lookup.EventType is not { } type || _entries.EventTypeAt(index) == type)
                {
                    found.Add(Materialize(index));
                }
            }
        }

        foreach (JobEventLogEntry entry in found)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// Places one new event at the end of its stream and of the journal, and indexes it: <paramref name="latest"/> and
    /// <paramref name="probe"/> are the id index's answer for its id, with nothing stored since. Caller holds the lock.
    /// </summary>
    private JobEventLogEntry Store(JobId jobId, NewJobEvent newEvent, StoredEventId id, int latest, in EventIdIndex.Probe probe, long sequence)
    {
        ref StreamTail tail = ref _streams.GetOrAdd(jobId, out bool exists);
        int stream = tail.Stream;
        // A job's start shares its creation's id string: the id is that one's followed by "/start".
        int index = _entries.Add(stream, sequence, newEvent, exists ? id.DerivedFrom(_entries.IdAt(tail.Last)) : id, latest, exists ? tail.Last : -1);
        _latestByEventId.SetLatest(probe, index);
        tail = new StreamTail(index, (int)sequence, stream);
        _indexes.Add(index, jobId, newEvent);
        if (newEvent.EventType == ExecutionEventTypes.Created)
        {
            // After the index holds the job: a reader that sees the new count finds the job too.
            Volatile.Write(ref _jobsCreated, _jobsCreated + 1);
        }
        // The appended event's own ids and attributes, not the stored form's: nothing to unpack on the hot path.
        return newEvent.ToEntry(jobId, sequence, index + 1L);
    }

    /// <summary>The indexes of a stream's entries from a sequence on, in order: walked back from its last entry. Caller holds the lock.</summary>
    private int[] StreamFrom(StreamTail tail, int fromSequence)
    {
        var indexes = new int[tail.Count - fromSequence + 1];
        int index = tail.Last;
        for (int i = indexes.Length - 1; i >= 0; i--)
        {
            indexes[i] = index;
            index = _entries[index].PreviousInStream;
        }

        return indexes;
    }

    /// <summary>The index of the entry already in the stream (-1: none yet) with the event id whose latest entry is <paramref name="latest"/>, or null. Caller holds the lock.</summary>
    private int? FindInStream(int stream, int latest)
    {
        for (int index = stream < 0 ? -1 : latest; index >= 0; index = _entries[index].PreviousWithSameEventId)
        {
            if (_entries[index].Stream == stream)
            {
                return index;
            }
        }

        return null;
    }

    /// <summary>Throws when a new <c>job.created</c> of the batch carries an id already used in another stream. Caller holds the lock.</summary>
    private void ThrowIfCreatedElsewhere(JobId jobId, int stream, IReadOnlyList<NewJobEvent> events, ReadOnlySpan<IdLookup> lookups, AppendOutcome[] outcomes)
    {
        for (int i = 0; i < events.Count; i++)
        {
            NewJobEvent next = events[i];
            if (outcomes[i].Entry is null && JobCreatedFact.IsCreation(next.Lane, next.EventType) && UsedElsewhere(stream, lookups[i].Latest) is { } existing)
            {
                throw Conflict(next.EventId, existing, jobId);
            }
        }
    }

    /// <summary>
    /// The index of the oldest entry carrying the event id (whose latest entry is <paramref name="latest"/>) in a stream other than <paramref name="stream"/> (-1: a stream not made yet), whatever
    /// its type; null when none. Oldest, so the refusal names the entry a lookup by event id lists first. Caller holds the lock.
    /// </summary>
    private int? UsedElsewhere(int stream, int latest)
    {
        int? oldest = null;
        for (int index = latest; index >= 0; index = _entries[index].PreviousWithSameEventId)
        {
            if (_entries[index].Stream != stream)
            {
                oldest = index;
            }
        }

        return oldest;
    }

    private JobCreationConflictException Conflict(EventId eventId, int existing, JobId jobId) =>
        new(eventId, _entries.JobIdAt(existing), _entries.EventTypeAt(existing), jobId);

    private JobEventLogEntry Materialize(int index) => _entries.ToEntry(index);

    private JobEventHead HeadAt(int index)
    {
        EventTypeId eventType = _entries.EventTypeAt(index);
        JobType? createdType = eventType == ExecutionEventTypes.Created && JobCreatedFact.TryRead(eventType, _entries.AttributesAt(index).ToAttributes(), out JobType type, out _) ? type : null;
        return new JobEventHead(index + 1L, _entries.JobIdAt(index), _entries[index].Sequence, eventType, createdType);
    }

    /// <summary>A page of the journal in position order, each entry read by <paramref name="read"/> under the lock.</summary>
    private ValueTask<IReadOnlyList<T>> ReadPage<T>(long fromPosition, int maxCount, Func<InMemoryJobEventJournal, int, T> read, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromPosition, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        using (Enter())
        {
            if (fromPosition > _entries.Count)
            {
                return ValueTask.FromResult<IReadOnlyList<T>>([]);
            }

            int start = (int)(fromPosition - 1);
            var page = new T[Math.Min(maxCount, _entries.Count - start)];
            for (int i = 0; i < page.Length; i++)
            {
                page[i] = read(this, start + i);
            }

            return ValueTask.FromResult<IReadOnlyList<T>>(page);
        }
    }

    private JobEventLogEntry[] Materialize(ReadOnlySpan<int> indexes)
    {
        var entries = new JobEventLogEntry[indexes.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = Materialize(indexes[i]);
        }

        return entries;
    }

    /// <summary>The journal's lock, held by one operation (see <see cref="Enter"/>).</summary>
    private readonly ref struct LockScope(InMemoryJobEventJournal journal)
    {
        public void Dispose()
        {
            journal._gate.Exit();
            GC.KeepAlive(journal);
        }
    }

    private readonly record struct IdLookup(StoredEventId Id, int Latest, EventIdIndex.Probe Probe);

    // A creation appends two events at once: their ids are parsed and looked up once, on the stack.
    [InlineArray(Length)]
    private struct FewLookups
    {
        public const int Length = 4;

        private IdLookup _first;
    }
}
