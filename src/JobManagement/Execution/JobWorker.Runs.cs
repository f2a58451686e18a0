using Microsoft.Extensions.Logging;

namespace JobManagement;

/// <summary>
/// The worker's runs: due jobs taken best first while a slot is free, each claimed and run as an attempt, put back
/// into the index when it ends; a run that ends takes the next due job itself.
/// </summary>
internal sealed partial class JobWorker
{
    /// <summary>
    /// Takes due jobs while a slot is free, best first (under the index lock), and starts a run task for each; with
    /// <paramref name="keepFirst"/>, the first one taken is returned instead, for the calling run to go on with.
    /// </summary>
    private RunnableJobIndex.Candidate? StartDueRuns(bool keepFirst)
    {
        RunnableJobIndex.Candidate? kept = null;
        DateTimeOffset now = _time.GetUtcNow();
        while (_inFlight < _options.MaxConcurrency && _index.TryTake(now, _mayRun, _isBusy) is { } candidate)
        {
            Interlocked.Increment(ref _inFlight);
            _busy.Add((candidate.JobId, candidate.IsCompensation));
            _runningByType[candidate.JobType] = _runningByType.GetValueOrDefault(candidate.JobType) + 1;
            if (keepFirst && kept is null)
            {
                kept = candidate;
                continue;
            }

            Interlocked.Increment(ref _activeRuns);
            _ = RunAsync(candidate); // returns at its first await (it yields to the thread pool first); it never throws
        }

        return kept;
    }

    /// <summary>Completes when every run has ended (once the loop starts no more: at shutdown). Counted, not a set of tasks: a run costs no bookkeeping.</summary>
    private Task RunsEndedAsync()
    {
        Interlocked.CompareExchange(ref _runsEnded, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null);
        TaskCompletionSource ended = _runsEnded!;
        if (Volatile.Read(ref _activeRuns) == 0)
        {
            ended.TrySetResult();
        }

        return ended.Task;
    }

    private void RunEnded()
    {
        if (Interlocked.Decrement(ref _activeRuns) == 0)
        {
            Volatile.Read(ref _runsEnded)?.TrySetResult();
        }
    }

    private bool IsBusy(RunnableJobIndex.Candidate candidate) => _busy.Contains((candidate.JobId, candidate.IsCompensation));

    private bool MayRun(JobType type) =>
        !_handlers.TryGetValue(type, out JobHandlerRegistration? handler) || handler.MaxConcurrency is not { } limit || _runningByType.GetValueOrDefault(type) < limit;

    /// <summary>
    /// One run task: runs a job, puts it back, and goes on with the next due job while there is one (taken under the
    /// index lock, best first, as the loop would take it), so a busy worker needs neither its loop nor a new task per job.
    /// </summary>
    private async Task RunAsync(RunnableJobIndex.Candidate candidate)
    {
        // Off the loop's thread before any work: the loop goes on starting runs (cheaper than Task.Run's closure and wrapper).
        await Task.Yield();
        try
        {
            for (RunnableJobIndex.Candidate? next = candidate; next is not null;)
            {
                JobRunFacts? last = await RunOneAsync(next).ConfigureAwait(false);
                WorkerMessage putBack = await PutBackAsync(next, last).ConfigureAwait(false);
                next = FinishAndTakeNext(putBack);
            }
        }
        finally
        {
            RunEnded();
        }
    }

    /// <summary>Claims the job and runs its attempt (or its compensation); returns the job as the run's last append left it.</summary>
    /// <remarks>A <see cref="ValueTask{TResult}"/>, as is <see cref="PutBackAsync"/>: both usually complete at once (a trivial handler, an in-memory journal), and a Task of a struct result is an allocation per job.</remarks>
    private async ValueTask<JobRunFacts?> RunOneAsync(RunnableJobIndex.Candidate candidate)
    {
        JobId jobId = candidate.JobId;
        JobRunFacts? last = null;

        // A compensation is not registered: it may run beside an attempt of the same job whose handler ignores its token.
        bool registered = !candidate.IsCompensation;
        if (registered)
        {
            _running[jobId] = null;
        }

        try
        {
            if (candidate.IsCompensation)
            {
                await CompensateAsync(candidate).ConfigureAwait(false);
                return null;
            }

            AttemptClaim claim = await _engine.TryClaimAsync(jobId, _options.WorkerId, _options.LeaseDuration, _hardStop.Token).ConfigureAwait(false);
            last = claim.Job;
            if (claim.Attempt is not null)
            {
                using var run = new AttemptRun(_engine, _handlers[candidate.JobType], _options, _scopes, _logger, _renewals!, claim, candidate.DueAt);
                _running[jobId] = run;

                // The run's token is its own: a hard stop stops every registered run (StopRunningAttempts), and one that came
                // before this run was registered is seen here. The fence keeps the check after the registration, so one side sees the other.
                Interlocked.MemoryBarrier();
                if (_hardStop.IsCancellationRequested)
                {
                    run.Stop(AttemptRun.StopReason.Shutdown);
                }

                await run.RunAsync().ConfigureAwait(false);
                last = run.LastJob ?? last;
            }
        }
        catch (Exception exception)
        {
            // Nothing awaits a run's task: whatever ends it is handled here. After the hard stop, a cancelled claim is expected.
            if (!_hardStop.IsCancellationRequested)
            {
                Log.WorkerRunFailed(_logger, _options.WorkerId, jobId, exception);
            }
        }
        finally
        {
            if (registered)
            {
                _running.TryRemove(jobId, out _);
            }
        }

        return last;
    }

    /// <summary>
    /// Applies a finished run's put-back and the queued changes, and takes the next due job for this run task (none
    /// once the worker stops). Wakes the loop when this task ends (a slot is free) or the job is due again later (a
    /// retry, a takeover): the loop may have to start a run, or wake earlier than it planned.
    /// </summary>
    private RunnableJobIndex.Candidate? FinishAndTakeNext(in WorkerMessage putBack)
    {
        RunnableJobIndex.Candidate? next;

        // Through the inbox, in order: a change queued before the put-back (the claim's own, say) must not be applied after it.
        _inbox.Enqueue(putBack);
        lock (_indexLock)
        {
            DrainInbox();
            next = _stopping ? null : StartDueRuns(keepFirst: true);
            PublishStatusWhenStale(); // the loop may sleep while runs go from job to job
        }

        if (next is null || putBack.Due is not null)
        {
            Wake();
        }

        return next;
    }

    private async Task CompensateAsync(RunnableJobIndex.Candidate candidate)
    {
        AttemptClaim claim = await _engine.TryClaimCompensationAsync(candidate.JobId, _options.WorkerId, _options.LeaseDuration, _hardStop.Token).ConfigureAwait(false);
        if (claim is { Attempt: { } run, State: { Compensation: { } compensation } state } && _compensations.TryGetValue(compensation.Name, out JobCompensationRegistration? registration))
        {
            await new CompensationRun(_engine, registration, _options, _scopes, _logger, state, run, _hardStop.Token).RunAsync().ConfigureAwait(false);
        }
    }

    /// <summary>What puts a job back into the index after its run (it may need to run again: a retry, a takeover): its current state and when it is due.</summary>
    private async ValueTask<WorkerMessage> PutBackAsync(RunnableJobIndex.Candidate finished, JobRunFacts? last)
    {
        JobRunFacts? job = null;
        try
        {
            // The job as the run's last append left it is still the job when nothing moved since: no read.
            job = last is { } known && _engine.KnownVersion(finished.JobId) == known.Version
                ? known
                : await _engine.GetRunFactsAsync(finished.JobId, _hardStop.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The run still ends (its slot is freed below); after the hard stop a cancelled read is expected.
            if (!_hardStop.IsCancellationRequested)
            {
                Log.WorkerRunFailed(_logger, _options.WorkerId, finished.JobId, exception);
            }
        }

        return new WorkerMessage(job, job is { } j ? RunnableAt(j) : null, Force: true, finished);
    }
}
