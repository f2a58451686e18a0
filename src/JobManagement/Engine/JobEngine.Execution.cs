using System.Diagnostics;
using System.Text.Json;

namespace JobManagement;

/// <summary>The worker's side of the engine: claiming a job for an attempt and recording what the attempt did.</summary>
public sealed partial class JobEngine
{
    /// <summary>Gets the feed of state changes in this process (the worker listens to it).</summary>
    internal JobChangeFeed Changes => _streams.Changes;

    internal TimeProvider Time => _time;

    /// <summary>Gets the source of the engine's own event and job ids.</summary>
    internal IdSource Ids => _ids;

    internal IJobEventJournal Journal => _journal;

    /// <summary>The job's status when this process has already seen its stream up to a version (its state change was published); else null.</summary>
    internal JobStatus? KnownStatus(JobId jobId, long version) => _streams.KnownStatus(jobId, version);

    /// <summary>Tells the engine that the worker's journal poll has read every entry up to <paramref name="position"/> (the engine remembers the jobs it saw finish at least until then).</summary>
    internal void JournalScannedThrough(long position) => _streams.ScannedThrough(position);

    /// <summary>The version of the job's stream this process has applied, or null when it is not cached.</summary>
    internal long? KnownVersion(JobId jobId) => _streams.KnownVersion(jobId);

    internal JobEngineOptions Options => _options;

    /// <summary>Gets the engine's spans and instruments, for the worker.</summary>
    internal JobEngineTelemetry Telemetry => _telemetry;

    /// <summary>
    /// Reads the trace context recorded with the job's <c>job.created</c> entry (its first), for the worker's
    /// spans to link to. Telemetry only: a failed read gives no link and never fails the caller.
    /// </summary>
    internal async ValueTask<ActivityContext> ReadCreationContextAsync(JobId jobId, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (JobEventLogEntry entry in _journal.ReadStreamAsync(jobId, 1, cancellationToken).ConfigureAwait(false))
            {
                return JobEngineTelemetry.ContextOf(entry.Observability);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // no link, then
        }

        return default;
    }

    /// <summary>
    /// Claims a runnable job for a new attempt: appends <c>job.attempt.started</c> (after
    /// <c>job.attempt.interrupted</c> when it takes over an expired lease) guarded by the stream's
    /// expected version. On a conflict it catches up and decides again, so of two workers only one
    /// ever starts a given attempt.
    /// </summary>
    internal ValueTask<AttemptClaim> TryClaimAsync(JobId jobId, string worker, TimeSpan lease, CancellationToken cancellationToken) =>
        ClaimAsync(jobId, (worker, lease), withState: false, static (job, plan, now, claim, ids) =>
        {
            if (JobRunnability.RunnableAt(job, plan) is not { } due || due > now)
            {
                return null;
            }

            // Attempts are numbered from 1 without gaps, so the last one's number is their count.
            int attempt = (job.LastAttempt?.Number ?? 0) + 1;
            NewJobEvent started = ExecutionFacts.AttemptStarted(ids.NewEventId(now), attempt, claim.worker, now + claim.lease, now);
            NewJobEvent[] events = job.LastAttempt is { Outcome: AttemptOutcome.Running } expired
                ? [ExecutionFacts.AttemptInterrupted(ids.NewEventId(now), expired.Number, now), started]
                : [started];
            return (events, attempt);
        }, cancellationToken);

    /// <summary>
    /// Claims a compensating job for a run of its compensation handler: appends <c>job.compensation.started</c>
    /// guarded by the stream's expected version, when no run holds an unexpired lease.
    /// </summary>
    internal ValueTask<AttemptClaim> TryClaimCompensationAsync(JobId jobId, string worker, TimeSpan lease, CancellationToken cancellationToken) =>
        ClaimAsync(jobId, (worker, lease), withState: true, static (job, plan, now, claim, ids) =>
        {
            if (JobRunnability.RunnableAt(job, plan, compensates: true) is not { } due || due > now || job.Status != JobStatus.Compensating)
            {
                return null;
            }

            int run = job.Compensation!.Runs + 1;
            return ([ExecutionFacts.CompensationStarted(ids.NewEventId(now), run, claim.worker, now + claim.lease, now)], run);
        }, cancellationToken);

    /// <summary>
    /// The claim loop: under the job's gate, decide on the job's open fold, append exactly at its version;
    /// on a conflict catch up and decide again (bounded). The claim succeeded when the decision's last fact applied.
    /// Nothing is materialised unless <paramref name="withState"/> asks for the job's <see cref="JobState"/>
    /// (a compensation run hands it to its handler): an attempt needs only what <see cref="AttemptClaim"/> carries.
    /// </summary>
    private async ValueTask<AttemptClaim> ClaimAsync<TArg>(
        JobId jobId,
        TArg arg,
        bool withState,
        Func<JobRunFacts, JobPlan, DateTimeOffset, TArg, IdSource, (NewJobEvent[] Events, int Number)?> decide,
        CancellationToken cancellationToken)
    {
        using (await _streams.LockAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            JobSlot slot = await _streams.GetForWriteAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(jobId);
            for (int conflicts = 0; ; conflicts++)
            {
                if (decide(slot.RunFacts, slot.Plan, _time.GetUtcNow(), arg, _ids) is not { } decision)
                {
                    return AttemptClaim.Of(null, slot, withState);
                }

                StreamAppend? append = await _streams.TryAppendExactlyAsync(slot, decision.Events, cancellationToken).ConfigureAwait(false);
                if (append is { } done)
                {
                    bool claimed = done.EffectAt(decision.Events.Length - 1) == EntryEffect.Applied;
                    return AttemptClaim.Of(claimed ? decision.Number : null, done.Slot, withState);
                }

                if (conflicts >= _options.MaxConcurrencyRetries)
                {
                    return AttemptClaim.Of(null, slot, withState);
                }

                slot = await _streams.GetForWriteAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(jobId);
            }
        }
    }

    /// <summary>
    /// Records an execution fact of a running attempt (lease renewal, progress, outcome). The projector
    /// decides whether it applies: a fact of an attempt that is no longer the running one (the job was
    /// aborted, or another worker took it over) is kept as record-only and changes nothing.
    /// </summary>
    internal async ValueTask<(bool Applied, JobRunFacts Job)> RecordAttemptFactAsync(JobId jobId, NewJobEvent fact, CancellationToken cancellationToken)
    {
        (bool Applied, JobRunFacts Job) recorded;
        using (await _streams.LockAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            JobSlot slot = await _streams.GetForWriteAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(jobId);
            StreamAppend append = await _streams.AppendAsync(slot, fact, cancellationToken).ConfigureAwait(false);
            LogTransitions(append.Slot, append.TransitionsBefore);

            // The worker's view, read from the open fold: an attempt's facts never need the whole state materialised.
            recorded = (append.FirstEffect == EntryEffect.Applied, append.Slot.RunFacts);
        }

        // An attempt's outcome may end the job: tell its parent, outside the job's gate.
        await NotifyParentsAsync(cancellationToken).ConfigureAwait(false);
        return recorded;
    }

    /// <summary>Gets a value indicating whether the journal can append inside a caller's transaction.</summary>
    internal bool CanAppendInTransaction => _journal is ITransactionalJobEventJournal;

    /// <summary>
    /// Appends execution facts of a running attempt inside the attempt's unit-of-work transaction, which the
    /// caller commits next (then calls <see cref="RefreshAfterTransactionAsync"/>), and tells whether the
    /// attempt is still the job's running one. Nothing is folded into the cached state: the entries do not
    /// exist until the commit.
    /// </summary>
    /// <remarks>
    /// <para>Deliberately <b>not</b> under the job's gate, and with <see cref="ExpectedStreamVersion.Any"/>. The
    /// caller's transaction may already hold the database's write lock (SQLite takes it at the handler's
    /// first write), and a lease renewal of this very attempt may hold the gate while it waits for that
    /// lock in the journal's writer: taking the gate here would deadlock until the busy timeout. The gate
    /// is not needed: the journal assigns the sequence under its own append lock inside the transaction, and
    /// its unique constraints arbitrate.</para>
    /// <para>After the append the transaction holds the journal's append lock (SQLite's write lock,
    /// PostgreSQL's position lock), so no one can commit to the stream before it does. The committed stream
    /// is then read and projected (without the cache, which needs the gate): when the attempt is no longer
    /// the running one — the job was aborted, or another worker took over an expired lease — the success
    /// would only be recorded, and the caller must roll back rather than commit the handler's writes.</para>
    /// </remarks>
    /// <returns>True when the attempt is still the running one (commit); false when it is not (roll back).</returns>
    internal async ValueTask<bool> RecordAttemptFactsInTransactionAsync(IJobJournalTransaction transaction, JobId jobId, JobType jobType, int attempt, IReadOnlyList<NewJobEvent> facts, CancellationToken cancellationToken)
    {
        var journal = (ITransactionalJobEventJournal)_journal;
        await journal.AppendInTransactionAsync(transaction, jobId, ExpectedStreamVersion.Any, facts, cancellationToken).ConfigureAwait(false);
        List<JobEventLogEntry> committed = [];
        await foreach (JobEventLogEntry entry in _journal.ReadStreamAsync(jobId, 1, cancellationToken).ConfigureAwait(false))
        {
            committed.Add(entry);
        }

        if (committed.Count == 0)
        {
            return false;
        }

        JobState state = JobStateProjector.Project(_plans.Get(jobType), committed);
        return !state.IsTerminal && state.Attempts is [.., { Outcome: AttemptOutcome.Running } running] && running.Number == attempt;
    }

    /// <summary>
    /// After the attempt's transaction committed: catches the job's cached state up with the journal under
    /// its gate, so listeners (the worker, watchers, a parent) hear of the change, then tells parents.
    /// </summary>
    internal async ValueTask<JobState?> RefreshAfterTransactionAsync(JobId jobId, CancellationToken cancellationToken)
    {
        JobState? state = null;
        using (await _streams.LockAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            if (await _streams.RefreshLockedAsync(jobId, cancellationToken).ConfigureAwait(false) is { } refreshed)
            {
                LogTransitions(refreshed.Slot, refreshed.TransitionsBefore);
                state = refreshed.Slot.State;
            }
        }

        await NotifyParentsAsync(cancellationToken).ConfigureAwait(false);
        return state;
    }

    /// <summary>The worker's view of a job, checked against its stream's version (caught up when behind); null when it does not exist. Makes no <see cref="JobState"/>.</summary>
    internal ValueTask<JobRunFacts?> GetRunFactsAsync(JobId jobId, CancellationToken cancellationToken) =>
        _streams.GetCurrentRunFactsAsync(jobId, cancellationToken);

    /// <summary>The plan of a job type, for the worker.</summary>
    internal JobPlan PlanOf(JobType jobType) => _plans.Get(jobType);
}

/// <summary>
/// The result of a claim: the attempt (or compensation run) number when this worker started it (null when it
/// did not), the worker's view of the job after the claim, and what a run needs of the job: its correlation and
/// input. <see cref="State"/> is materialised only for a claim that asked for it.
/// </summary>
internal readonly record struct AttemptClaim(int? Attempt, JobRunFacts Job, EventAttributes Correlation, JsonElement? Input, JobState? State)
{
    /// <summary>A claim's result read from the job's slot (under its gate).</summary>
    public static AttemptClaim Of(int? attempt, JobSlot slot, bool withState) =>
        new(attempt, slot.RunFacts, slot.Correlation, slot.Input, withState ? slot.State : null);

    /// <summary>When the claimed attempt started, as its entry says; null when the job's last attempt is another.</summary>
    public DateTimeOffset? AttemptStartedAt() =>
        Job.LastAttempt is { } last && last.Number == Attempt ? last.StartedAt : null;
}
