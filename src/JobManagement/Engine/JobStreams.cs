using Microsoft.Extensions.Logging;

namespace JobManagement;

/// <summary>
/// Loads and appends to job streams for the engine: each job's open fold (<see cref="JobSlot"/>)
/// from the bounded cache, or rebuilt from the journal; appends guarded by the in-process gate and
/// the journal's expected-version check, retried after catching up when another writer won.
/// "Decide, then append": callers decide with the current slot, this appends and folds.
/// Every method that takes or returns a slot must be called under the job's gate.
/// </summary>
internal sealed class JobStreams
{
    private readonly IJobEventJournal _journal;
    private readonly JobPlanCatalog _plans;
    private readonly JobStateCache _cache;
    private readonly JobStreamGate _gate = new();
    private readonly int _maxRetries;
    private readonly ILogger _logger;
    private readonly IInMemoryReads? _inMemory; // the journal, when its reads cost no I/O

    public JobStreams(IJobEventJournal journal, JobPlanCatalog plans, JobEngineOptions options, ILogger logger, JobChangeFeed changes)
    {
        Changes = changes;
        _journal = journal;
        _plans = plans;
        _cache = new JobStateCache(options.StateCacheCapacity);
        _maxRetries = options.MaxConcurrencyRetries;
        _logger = logger;

        // Reading a few entries back from memory costs less than keeping a queue's folds alive through young collections.
        _inMemory = journal is IInMemoryReads { ReadsAreInMemory: true } inMemory ? inMemory : null;
    }

    /// <summary>Gets the feed told of every state change this process applies or catches up on.</summary>
    public JobChangeFeed Changes { get; }

    /// <summary>The version of the job's stream this process has applied, or null when it is not cached. A hint, read without the job's gate.</summary>
    public long? KnownVersion(JobId jobId) => _cache.Known(jobId)?.Version;

    /// <summary>The job's status when this process has already applied (and published) its stream up to a version; else null. A hint, read without the job's gate.</summary>
    public JobStatus? KnownStatus(JobId jobId, long version) => _cache.Known(jobId) is { } known && known.Version >= version ? known.Status : null;

    /// <summary>Tells the cache that the worker's journal poll has read every entry up to <paramref name="position"/>: the finished jobs it remembers for the poll up to there may be forgotten.</summary>
    public void ScannedThrough(long position) => _cache.ScannedThrough(position);

    /// <summary>The cached slot of a job, or null (then <see cref="GetForWriteAsync"/> reads the journal).</summary>
    public JobSlot? TryGetCached(JobId jobId) => _cache.TryGet(jobId);

    public ValueTask<JobStreamGate.Releaser> LockAsync(JobId jobId, CancellationToken cancellationToken) =>
        _gate.EnterAsync(jobId, cancellationToken);

    /// <summary>
    /// Gets a job's slot for deciding an append, or null when the job does not exist. A cached slot
    /// is used as is: if another writer moved the stream on, the append's expected-version check
    /// fails and <c>AppendAsync</c> catches up, so no journal read is spent per event.
    /// </summary>
    public async ValueTask<JobSlot?> GetForWriteAsync(JobId jobId, CancellationToken cancellationToken) =>
        _cache.TryGet(jobId) ?? await CatchUpAsync(jobId, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Gets a job's current state for a reader, checked against the stream's version; null when it does not exist.</summary>
    public async ValueTask<JobState?> GetCurrentAsync(JobId jobId, CancellationToken cancellationToken)
    {
        using (await _gate.EnterAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            return await GetCurrentLockedAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// As <see cref="GetCurrentAsync"/>, but the worker's view of the job (<see cref="JobRunFacts"/>) read from its open fold:
    /// no <see cref="JobState"/> is made (the worker's journal poll and put-back need only these facts, for every job they read).
    /// </summary>
    public async ValueTask<JobRunFacts?> GetCurrentRunFactsAsync(JobId jobId, CancellationToken cancellationToken)
    {
        using (await _gate.EnterAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            return (await GetCurrentSlotLockedAsync(jobId, cancellationToken).ConfigureAwait(false))?.RunFacts;
        }
    }

    /// <summary>As <see cref="GetCurrentAsync"/>, for a caller that already holds the job's gate (the gate is not reentrant).</summary>
    public async ValueTask<JobState?> GetCurrentLockedAsync(JobId jobId, CancellationToken cancellationToken) =>
        (await GetCurrentSlotLockedAsync(jobId, cancellationToken).ConfigureAwait(false))?.State;

    /// <summary>The job's slot checked against its stream's version (caught up when behind); null when the job does not exist. Caller holds the gate.</summary>
    private async ValueTask<JobSlot?> GetCurrentSlotLockedAsync(JobId jobId, CancellationToken cancellationToken)
    {
        JobSlot? cached = _cache.TryGet(jobId);
        long version = await _journal.GetStreamVersionAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (cached is not null && cached.Version == version)
        {
            return cached;
        }

        return version == 0 ? null : await CatchUpAsync(jobId, cached, cancellationToken, forRead: true).ConfigureAwait(false);
    }

    /// <summary>
    /// Brings a job's slot up to date with the journal (for a caller that holds the job's gate), telling
    /// listeners when it moved on: after entries were committed outside this class, in a caller's own
    /// transaction. Nothing uncommitted is ever folded into a slot, so the cached slot is a correct
    /// starting point and needs no invalidation. Returns null when the job does not exist.
    /// </summary>
    public async ValueTask<(JobSlot Slot, int TransitionsBefore)?> RefreshLockedAsync(JobId jobId, CancellationToken cancellationToken)
    {
        JobSlot? cached = _cache.TryGet(jobId);
        int transitionsBefore = cached?.TransitionCount ?? 0;
        JobSlot? slot = await CatchUpAsync(jobId, cached, cancellationToken).ConfigureAwait(false);
        return slot is null ? null : (slot, transitionsBefore);
    }

    /// <summary>Appends to an existing job's stream and folds the result into its slot.</summary>
    public ValueTask<StreamAppend> AppendAsync(JobSlot slot, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken) =>
        AppendAsync(slot, single: null, events, cancellationToken);

    /// <summary>Appends one event to an existing job's stream (the ingest hot path) and folds it into its slot.</summary>
    public ValueTask<StreamAppend> AppendAsync(JobSlot slot, NewJobEvent newEvent, CancellationToken cancellationToken)
    {
        // When the journal answers at once (the in-memory one always does) and the event is new,
        // fold without an async state machine: on every ingest, that machinery and the copies of
        // the results through it cost more than the fold itself.
        ValueTask<AppendResult> pending;
        try
        {
            pending = _journal.AppendAsync(slot.JobId, ExpectedStreamVersion.Exactly(slot.Version), newEvent, cancellationToken);
        }
        catch (JobConcurrencyException)
        {
            // Nothing was appended: the general path catches up and tries again.
            return AppendAsync(slot, newEvent, batch: null, cancellationToken);
        }

        if (!pending.IsCompletedSuccessfully)
        {
            return AwaitSingleAsync(slot, newEvent, pending, cancellationToken);
        }

        AppendResult result = pending.Result;
        return FoldedAtOnce(slot, result) is { } folded ? new(folded) : FoldAsync(slot, result, cancellationToken);
    }

    /// <summary>Folds a one-event append that applied right after the slot's version, without an async state machine; null otherwise (a duplicate, or the stream moved on): <see cref="FoldAsync"/> then.</summary>
    private StreamAppend? FoldedAtOnce(JobSlot slot, AppendResult result)
    {
        if (result.Count != 1 || result[0].IsDuplicate || result.StreamVersion != slot.Version + 1)
        {
            return null;
        }

        JobStatus before = slot.Status;
        int transitionsBefore = slot.TransitionCount;
        EntryEffect effect = slot.Apply(result[0].Entry);
        Publish(slot, before);
        return new StreamAppend(slot, before, transitionsBefore, result, effect, MoreEffects: null);
    }

    private async ValueTask<StreamAppend> AwaitSingleAsync(JobSlot slot, NewJobEvent newEvent, ValueTask<AppendResult> pending, CancellationToken cancellationToken)
    {
        AppendResult result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        catch (JobConcurrencyException)
        {
            return await AppendAsync(slot, newEvent, batch: null, cancellationToken).ConfigureAwait(false);
        }

        return await FoldAsync(slot, result, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<StreamAppend> AppendAsync(JobSlot slot, NewJobEvent? single, IReadOnlyList<NewJobEvent>? batch, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            AppendResult result;
            try
            {
                ExpectedStreamVersion expected = ExpectedStreamVersion.Exactly(slot.Version);
                result = single is not null
                    ? await _journal.AppendAsync(slot.JobId, expected, single, cancellationToken).ConfigureAwait(false)
                    : await _journal.AppendAsync(slot.JobId, expected, batch!, cancellationToken).ConfigureAwait(false);
            }
            catch (JobConcurrencyException conflict) when (attempt < _maxRetries)
            {
                Log.ConcurrencyRetry(_logger, slot.JobId, slot.Version, conflict.ActualVersion);
                slot = (await CatchUpAsync(slot.JobId, slot, cancellationToken).ConfigureAwait(false))!;
                continue;
            }

            return await FoldAsync(slot, result, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Appends events decided on the slot's exact version, without retrying: null when another writer
    /// moved the stream on (the cache is brought up to date, so the caller can decide again). For
    /// decisions that are only right at one version, such as claiming a job for an attempt.
    /// </summary>
    public ValueTask<StreamAppend?> TryAppendExactlyAsync(JobSlot slot, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count != 1)
        {
            return FinishExactlyAsync(slot, null, events, cancellationToken);
        }

        // One event (a claim, usually): the journal's one-event append, folded at once when it answers at once.
        ValueTask<AppendResult> pending;
        try
        {
            pending = _journal.AppendAsync(slot.JobId, ExpectedStreamVersion.Exactly(slot.Version), events[0], cancellationToken);
        }
        catch (JobConcurrencyException conflict)
        {
            return CatchUpAfterConflictAsync(slot, conflict, cancellationToken);
        }

        if (!pending.IsCompletedSuccessfully)
        {
            return FinishExactlyAsync(slot, pending, events, cancellationToken);
        }

        AppendResult result = pending.Result; // consumed once: a duplicate or a moved stream folds from the result
        return FoldedAtOnce(slot, result) is { } folded ? new(folded) : FoldExactlyAsync(slot, result, cancellationToken);
    }

    private async ValueTask<StreamAppend?> FoldExactlyAsync(JobSlot slot, AppendResult result, CancellationToken cancellationToken) =>
        await FoldAsync(slot, result, cancellationToken).ConfigureAwait(false);

    /// <summary>The rest of <see cref="TryAppendExactlyAsync"/>: awaits the append in flight (or appends), and folds or catches up.</summary>
    private async ValueTask<StreamAppend?> FinishExactlyAsync(JobSlot slot, ValueTask<AppendResult>? pending, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken)
    {
        AppendResult result;
        try
        {
            result = pending is { } inFlight
                ? await inFlight.ConfigureAwait(false)
                : await _journal.AppendAsync(slot.JobId, ExpectedStreamVersion.Exactly(slot.Version), events, cancellationToken).ConfigureAwait(false);
        }
        catch (JobConcurrencyException conflict)
        {
            return await CatchUpAfterConflictAsync(slot, conflict, cancellationToken).ConfigureAwait(false);
        }

        return await FoldAsync(slot, result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Another writer moved the stream on: nothing was appended; the cache is brought up to date so the caller can decide again.</summary>
    private async ValueTask<StreamAppend?> CatchUpAfterConflictAsync(JobSlot slot, JobConcurrencyException conflict, CancellationToken cancellationToken)
    {
        Log.ConcurrencyRetry(_logger, slot.JobId, slot.Version, conflict.ActualVersion);
        await CatchUpAsync(slot.JobId, slot, cancellationToken).ConfigureAwait(false);
        return null;
    }

    /// <summary>Creates a stream with its first entries; the journal's result tells a repeated creation (all duplicates). Throws <see cref="JobConcurrencyException"/> when it exists, <see cref="JobCreationConflictException"/> when its <c>job.created</c> id is already used in another stream.</summary>
    public async ValueTask<(JobSlot Slot, AppendResult Created)> CreateAsync(JobPlan plan, JobId jobId, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken)
    {
        AppendResult result = await _journal.AppendAsync(jobId, ExpectedStreamVersion.NoStream, events, cancellationToken).ConfigureAwait(false);
        if (result.AllDuplicates && !JobCreatedFact.IsCreation(result[0].Entry.Lane, result[0].Entry.EventType))
        {
            // The stream exists and holds the id, but not as its creation: an existing stream, like any other.
            throw new JobConcurrencyException(jobId, ExpectedStreamVersion.NoStream, result.StreamVersion);
        }

        if (result.AllDuplicates)
        {
            // The stream already holds these very entries: the same request created it before.
            JobSlot existing = await CatchUpAsync(jobId, _cache.TryGet(jobId), cancellationToken).ConfigureAwait(false)
                ?? throw new JobJournalCorruptionException(jobId, null, "the journal reported job.created as a duplicate but the stream cannot be read.");
            return (existing, result);
        }

        var slot = new JobSlot(JobStateBuilder.Create(plan, result[0].Entry));
        for (int i = 1; i < result.Count; i++)
        {
            slot.Apply(result[i].Entry);
        }

        if (!(plan.RunsHandler && _inMemory is not null))
        {
            _cache.Set(slot, created: plan.RunsHandler); // a queued job waits apart until it runs (see JobStateCache)
        }

        Changes.Publish(slot, statusBefore: null);
        return (slot, result);
    }

    /// <summary>
    /// Ends a job's creation, after its adoptions. With a journal in this process's memory, a queued job that is not finished
    /// is cached now: behind a long queue without its fold (only its version and status; its claim rebuilds the fold), see
    /// <see cref="JobStateCache.SetQueued"/>. Caller holds the job's gate.
    /// </summary>
    public void CreationDone(JobSlot slot)
    {
        if (_inMemory is not null && slot.Plan.RunsHandler && !slot.Status.IsTerminal())
        {
            _cache.SetQueued(slot);
        }
    }

    /// <summary>Reads a job's first entry, or null when the stream does not exist.</summary>
    public async ValueTask<JobEventLogEntry?> ReadFirstAsync(JobId jobId, CancellationToken cancellationToken)
    {
        await foreach (JobEventLogEntry entry in _journal.ReadStreamAsync(jobId, 1, cancellationToken).ConfigureAwait(false))
        {
            return entry;
        }

        return null;
    }

    private async ValueTask<StreamAppend> FoldAsync(JobSlot slot, AppendResult result, CancellationToken cancellationToken)
    {
        JobStatus before = slot.Status;
        long versionBefore = slot.Version;
        int transitionsBefore = slot.TransitionCount;
        EntryEffect first = Fold(slot, result[0]);
        EntryEffect[]? more = result.Count > 1 ? new EntryEffect[result.Count - 1] : null;
        for (int i = 1; i < result.Count; i++)
        {
            more![i - 1] = Fold(slot, result[i]);
        }

        if (result.StreamVersion > slot.Version)
        {
            // Only duplicates, and the stream moved on under another writer: bring the slot up to date.
            slot = (await CatchUpAsync(slot.JobId, slot, cancellationToken, witnessedBefore: before).ConfigureAwait(false))!;
        }
        else if (slot.Version > versionBefore)
        {
            Publish(slot, before);
        }

        return new StreamAppend(slot, before, transitionsBefore, result, first, more);
    }

    /// <summary>Tells listeners of an applied change; a job that just finished moves among the cache's finished ones, most of which are let go soon.</summary>
    private void Publish(JobSlot slot, JobStatus before)
    {
        Changes.Publish(slot, before);
        if (!before.IsTerminal() && slot.Status.IsTerminal())
        {
            _cache.Set(slot);
        }
    }

    /// <summary>Folds an entry read back from the journal into the job's slot, made from the stream's first entry when there is none.</summary>
    private JobSlot FoldRead(JobId jobId, JobSlot? slot, JobEventLogEntry entry)
    {
        if (slot is not null)
        {
            slot.Apply(entry);
            return slot;
        }

        return JobCreatedFact.TryRead(entry, out JobType jobType, out _)
            ? new JobSlot(JobStateBuilder.Create(_plans.Get(jobType), entry))
            : throw new JobJournalCorruptionException(jobId, entry.Sequence, $"a job's stream must begin with {ExecutionEventTypes.Created}; found {entry.EventType}.");
    }

    private static EntryEffect Fold(JobSlot slot, AppendOutcome outcome) =>
        outcome.IsDuplicate ? EntryEffect.AlreadyApplied : slot.Apply(outcome.Entry);

    /// <summary>
    /// Brings a job's slot up to date with the journal (built from its first entry when <paramref name="slot"/> is null), caches it and
    /// tells listeners what moved. A reader's rebuild (<paramref name="forRead"/>) of a queued job waiting without its fold, when
    /// nothing moved since, leaves it waiting so (the worker's first poll reads every job: it would keep a whole backlog's folds).
    /// </summary>
    private async ValueTask<JobSlot?> CatchUpAsync(JobId jobId, JobSlot? slot, CancellationToken cancellationToken, JobStatus? witnessedBefore = null, bool forRead = false)
    {
        // A queued job that waited without its fold was published up to the version remembered: its rebuild announces nothing new.
        (long Version, JobStatus Status)? waited = slot is null && _inMemory is not null ? _cache.Waiting(jobId) : null;
        long versionBefore = slot?.Version ?? waited?.Version ?? 0;
        JobStatus? statusBefore = witnessedBefore ?? slot?.Status ?? waited?.Status; // null: built from the journal, no change witnessed
        long from = (slot?.Version ?? 0) + 1;
        if (_inMemory is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IReadOnlyList<JobEventLogEntry> entries = _inMemory.ReadStream(jobId, from);
            for (int i = 0; i < entries.Count; i++)
            {
                slot = FoldRead(jobId, slot, entries[i]);
            }
        }
        else
        {
            await foreach (JobEventLogEntry entry in _journal.ReadStreamAsync(jobId, from, cancellationToken).ConfigureAwait(false))
            {
                slot = FoldRead(jobId, slot, entry);
            }
        }

        if (slot is not null && !(forRead && waited is { } stillWaiting && slot.Version == stillWaiting.Version))
        {
            _cache.Set(slot);
            if (slot.Version > versionBefore)
            {
                Changes.Publish(slot, statusBefore);
            }
        }

        return slot;
    }
}

/// <summary>What one append to a job did: its slot afterwards, its status and transition count before, the journal's result, and each entry's effect.</summary>
/// <remarks>A struct, and the first entry's effect inline, because one is made for every ingested event.</remarks>
internal readonly record struct StreamAppend(JobSlot Slot, JobStatus StatusBefore, int TransitionsBefore, AppendResult Result, EntryEffect FirstEffect, EntryEffect[]? MoreEffects)
{
    public EntryEffect EffectAt(int index) => index == 0 ? FirstEffect : MoreEffects![index - 1];
}
