using Microsoft.Extensions.Logging;

namespace JobManagement;

/// <summary>
/// Loads and appends to job streams for the engine: state from the bounded cache (caught up to
/// the stream's version) or rebuilt from the journal, appends guarded by the in-process gate and
/// the journal's expected-version check, retried after catching up when another writer won.
/// "Decide, then append": callers decide with the current state, this appends and folds.
/// </summary>
internal sealed class JobStreams : IDisposable
{
    private readonly IJobEventJournal _journal;
    private readonly JobPlanCatalog _plans;
    private readonly JobStateCache _cache;
    private readonly JobStreamGate _gate = new();
    private readonly int _maxRetries;
    private readonly ILogger _logger;

    public JobStreams(IJobEventJournal journal, JobPlanCatalog plans, JobEngineOptions options, ILogger logger)
    {
        _journal = journal;
        _plans = plans;
        _cache = new JobStateCache(options.StateCacheCapacity);
        _maxRetries = options.MaxConcurrencyRetries;
        _logger = logger;
    }

    public ValueTask<JobStreamGate.Releaser> LockAsync(JobId jobId, CancellationToken cancellationToken) =>
        _gate.EnterAsync(jobId, cancellationToken);

    /// <summary>
    /// Gets a job's state for deciding an append (under the job's lock), or null when it does not
    /// exist. A cached state is used as is: if another writer moved the stream on, the append's
    /// expected-version check fails and <see cref="AppendAsync"/> catches up, so no journal read is
    /// spent per event.
    /// </summary>
    public async ValueTask<JobState?> GetForWriteAsync(JobId jobId, CancellationToken cancellationToken) =>
        _cache.TryGet(jobId) ?? await CatchUpAsync(jobId, null, cancellationToken).ConfigureAwait(false);

    /// <summary>Gets a job's current state for a reader, checked against the stream's version; null when it does not exist.</summary>
    public async ValueTask<JobState?> GetCurrentAsync(JobId jobId, CancellationToken cancellationToken)
    {
        JobState? cached = _cache.TryGet(jobId);
        long version = await _journal.GetStreamVersionAsync(jobId, cancellationToken).ConfigureAwait(false);
        if (cached is not null && cached.Version == version)
        {
            return cached;
        }

        return version == 0 ? null : await CatchUpAsync(jobId, cached, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Appends to an existing job's stream (caller holds its lock) and folds the result into its state.</summary>
    public async ValueTask<StreamAppend> AppendAsync(JobState state, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken)
    {
        JobPlan plan = _plans.Get(state.JobType);
        for (int attempt = 0; ; attempt++)
        {
            AppendResult result;
            try
            {
                result = await _journal.AppendAsync(state.JobId, ExpectedStreamVersion.Exactly(state.Version), events, cancellationToken).ConfigureAwait(false);
            }
            catch (JobConcurrencyException conflict) when (attempt < _maxRetries)
            {
                Log.ConcurrencyRetry(_logger, state.JobId, state.Version, conflict.ActualVersion);
                state = (await CatchUpAsync(state.JobId, state, cancellationToken).ConfigureAwait(false))!;
                continue;
            }

            return await FoldAsync(plan, state, result, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Creates a stream with its first entries (caller holds its lock). Throws <see cref="JobConcurrencyException"/> when it exists.</summary>
    public async ValueTask<(JobState State, bool IsDuplicate)> CreateAsync(JobPlan plan, JobId jobId, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken)
    {
        AppendResult result = await _journal.AppendAsync(jobId, ExpectedStreamVersion.NoStream, events, cancellationToken).ConfigureAwait(false);
        if (result.AllDuplicates)
        {
            // The stream already holds these very entries: the same request created it before.
            JobState existing = await CatchUpAsync(jobId, _cache.TryGet(jobId), cancellationToken).ConfigureAwait(false)
                ?? throw new JobJournalCorruptionException(jobId, null, "the journal reported job.created as a duplicate but the stream cannot be read.");
            return (existing, true);
        }

        JobState state = JobStateProjector.Initial(plan, result.Outcomes[0].Entry);
        for (int i = 1; i < result.Outcomes.Length; i++)
        {
            state = JobStateProjector.Apply(plan, state, result.Outcomes[i].Entry);
        }

        _cache.Set(state);
        return (state, false);
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

    public void Dispose() => _gate.Dispose();

    private async ValueTask<StreamAppend> FoldAsync(JobPlan plan, JobState before, AppendResult result, CancellationToken cancellationToken)
    {
        JobState state = before;
        var effects = new EntryEffect[result.Outcomes.Length];
        for (int i = 0; i < result.Outcomes.Length; i++)
        {
            AppendOutcome outcome = result.Outcomes[i];
            if (outcome.IsDuplicate)
            {
                effects[i] = EntryEffect.AlreadyApplied;
                continue;
            }

            state = JobStateProjector.ApplyWithEffect(plan, state, outcome.Entry, out effects[i]);
        }

        if (result.StreamVersion > state.Version)
        {
            // Only duplicates, and the stream moved on under another writer: bring the state up to date.
            state = (await CatchUpAsync(before.JobId, state, cancellationToken).ConfigureAwait(false))!;
        }

        _cache.Set(state);
        return new StreamAppend(before, state, result, effects);
    }

    private async ValueTask<JobState?> CatchUpAsync(JobId jobId, JobState? state, CancellationToken cancellationToken)
    {
        JobPlan? plan = state is null ? null : _plans.Get(state.JobType);
        await foreach (JobEventLogEntry entry in _journal.ReadStreamAsync(jobId, (state?.Version ?? 0) + 1, cancellationToken).ConfigureAwait(false))
        {
            if (state is null)
            {
                if (!JobCreatedFact.TryRead(entry, out JobType jobType, out _))
                {
                    throw new JobJournalCorruptionException(jobId, entry.Sequence, $"a job's stream must begin with {ExecutionEventTypes.Created}; found {entry.EventType}.");
                }

                plan = _plans.Get(jobType);
                state = JobStateProjector.Initial(plan, entry);
            }
            else
            {
                state = JobStateProjector.Apply(plan!, state, entry);
            }
        }

        if (state is not null)
        {
            _cache.Set(state);
        }

        return state;
    }
}

/// <summary>What one append to a job did: the states before and after, the journal's result, and each entry's effect.</summary>
internal sealed record StreamAppend(JobState Before, JobState After, AppendResult Result, EntryEffect[] Effects);
