using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace JobManagement;

/// <summary>
/// The hosted service that runs handlers: it keeps an index of runnable jobs (fed at once by this
/// process's state changes and, every poll interval, by reading what other processes appended to the
/// journal), claims the best due job while a concurrency slot is free, and runs it. Every claim is a
/// journal fact guarded by the stream's expected version, so several workers (threads, processes,
/// nodes) can share one journal.
/// </summary>
internal sealed partial class JobWorker : BackgroundService, IJobChangeListener
{
    private const int ScanPageSize = 1000;

    private static readonly TimeSpan ArmingTolerance = TimeSpan.FromMilliseconds(5);

    private readonly JobEngine _engine;
    private readonly FrozenDictionary<JobType, JobHandlerRegistration> _handlers;
    private readonly FrozenDictionary<string, JobCompensationRegistration> _compensations;
    private readonly IServiceScopeFactory _scopes;
    private readonly JobWorkerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Everything that changes the index or the counters goes through this inbox and is applied by the
    // worker's loop alone: state changes arrive on every append, and a lock there was contended.
    private readonly ConcurrentQueue<WorkerMessage> _inbox = new();
    // The index, the counters and the tracked set are shared by the loop and by runs that end (each takes the
    // next due job itself, under this lock, instead of handing back to the loop and a new task).
    private readonly Lock _indexLock = new();
    private readonly RunnableJobIndex _index = new();
    private readonly Dictionary<JobType, int> _runningByType = [];
    // Jobs this process runs now: registered (with no run yet) when taken, so the claim's own state change does not
    // wake the loop; the attempt's run once it is claimed (an abort stops it).
    private readonly ConcurrentDictionary<JobId, AttemptRun?> _running = new();
    private readonly HashSet<JobId> _tracked = [];
    private readonly HashSet<(JobId JobId, bool IsCompensation)> _busy = [];
    private readonly WakeSignal _wake = new();
    private readonly Func<JobType, bool> _mayRun; // the index's filters, made once rather than on every pass
    private readonly Func<RunnableJobIndex.Candidate, bool> _isBusy;
    private readonly CancellationTokenSource _hardStop = new();
    private ITimer? _timer;
    private LeaseRenewals? _renewals;
    private long _armedForTicks; // the UTC ticks the timer is armed for; 0 when it is not (or has fired)
    private long _scannedTo;
    private bool _scannedOnce;
    private int _inFlight;
    private int _activeRuns; // run tasks started and not ended (their put-back included); read at shutdown
    private volatile bool _stopping; // set first thing at shutdown: no run takes another job after it
    private TaskCompletionSource? _runsEnded;
    private long _loopPasses;
    private int _disposed;

    public JobWorker(JobEngine engine, IEnumerable<JobHandlerRegistration> handlers, IEnumerable<JobCompensationRegistration> compensations, IServiceScopeFactory scopes, IOptions<JobWorkerOptions> options, ILogger<JobWorker>? logger = null)
    {
        _engine = engine;
        _handlers = handlers.ToFrozenDictionary(static h => h.JobType);
        _compensations = compensations.ToFrozenDictionary(static c => c.Name, StringComparer.Ordinal);
        _scopes = scopes;
        _options = options.Value;
        _time = engine.Time;
        _logger = logger ?? NullLogger<JobWorker>.Instance;
        _mayRun = MayRun;
        _isBusy = IsBusy;
    }

    /// <summary>Gets how many attempts run now (for tests and health checks).</summary>
    public int RunningCount => Volatile.Read(ref _inFlight);

    /// <summary>Gets how many times the loop has gone round (for tests: an idle or saturated worker must not spin).</summary>
    internal long LoopPasses => Interlocked.Read(ref _loopPasses);

    public bool IsInterestedIn(JobPlan plan, JobStatus status) => Runs(plan);

    /// <summary>Whether this worker runs anything for jobs of the plan: its handler, or its compensation.</summary>
    private bool Runs(JobPlan plan) =>
        (plan.RunsHandler && _handlers.ContainsKey(plan.JobType)) || Compensates(plan);

    private bool Compensates(JobPlan plan) => plan.Compensation is { } policy && _compensations.ContainsKey(policy.Name);

    public void OnChanged(JobSlot slot, JobStatus? statusBefore)
    {
        JobRunFacts job = slot.RunFacts;
        if (_running.TryGetValue(job.JobId, out AttemptRun? run))
        {
            if (run is not null && !job.HasLiveAttempt)
            {
                // Aborted, failed by a rule, compensating, or taken over: the attempt is no longer the job's running one.
                run.Stop(AttemptRun.StopReason.Aborted);
            }

            // Nothing for the loop while the run lasts (the index skips a busy job), unless the job now needs
            // its compensation, which runs at once even beside a handler that ignores its token. Otherwise the
            // run's put-back refreshes the index when it ends: waking the loop here cost a pass per attempt fact.
            if (job.Status != JobStatus.Compensating)
            {
                return;
            }
        }

        Refresh(job, force: false);
    }

    private IEnumerable<AttemptRun> RunningAttempts => _running.Values.OfType<AttemptRun>();

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop claiming first; then give running attempts time to finish.
        _stopping = true;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach (AttemptRun waiting in RunningAttempts.Where(static r => r.IsWaitingForRetry))
        {
            waiting.Stop(AttemptRun.StopReason.Released); // its retry time is journalled already
        }

        Task all = RunsEndedAsync();
        using (var timeout = new CancellationTokenSource(_options.ShutdownTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken))
        {
            await all.WaitAsync(linked.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        int interrupted = RunningAttempts.Count();
        foreach (AttemptRun run in RunningAttempts)
        {
            run.Stop(AttemptRun.StopReason.Shutdown); // each records its attempt as interrupted
        }

        await _hardStop.CancelAsync().ConfigureAwait(false); // compensation runs and claims in flight
        await all.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // Handlers that ignore their token are still running when the host gives up: record their
        // attempts as interrupted here, so the jobs run again at once; a late outcome is record-only.
        foreach (AttemptRun stuck in RunningAttempts)
        {
            try
            {
                DateTimeOffset now = _time.GetUtcNow();
                await _engine.RecordAttemptFactAsync(stuck.JobId, ExecutionFacts.AttemptInterrupted(_engine.Ids.NewEventId(), stuck.Attempt, now), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                Log.WorkerRunFailed(_logger, _options.WorkerId, stuck.JobId, exception);
            }
        }

        _renewals?.Dispose(); // every run has ended or been recorded as interrupted: no lease is ours any more
        Log.WorkerStopped(_logger, _options.WorkerId, interrupted);
    }

    public override void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // resolved both as itself and as a hosted service: disposed twice
        }

        _hardStop.Cancel();
        _hardStop.Dispose();
        _renewals?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.WorkerStarted(_logger, _options.WorkerId, _handlers.Count, _options.MaxConcurrency);
        _engine.Changes.AddListener(this);
        StatusStarted();

        // One timer for the loop's whole life, re-armed only when the time to wake changes, and a stop that wakes it.
        _timer = _time.CreateTimer(static worker => ((JobWorker)worker!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _renewals ??= new LeaseRenewals(_time, _options.LeaseRenewalInterval); // kept until StopAsync's runs have ended
        using CancellationTokenRegistration stopping = stoppingToken.UnsafeRegister(static worker => ((JobWorker)worker!).Wake(), this);
        try
        {
            DateTimeOffset nextScan = DateTimeOffset.MinValue;
            while (!stoppingToken.IsCancellationRequested)
            {
                if (_time.GetUtcNow() >= nextScan)
                {
                    await ScanAsync(stoppingToken).ConfigureAwait(false);
                    nextScan = _time.GetUtcNow() + _options.PollInterval;
                }

                DateTimeOffset wakeAt = nextScan;
                lock (_indexLock)
                {
                    DrainInbox();
                    StartDueRuns(keepFirst: false);
                    PublishStatusWhenDue();

                    // At full concurrency a due job cannot start before a run ends, and a run that ends
                    // without taking another wakes the loop: waking at its due time would only spin (it is already past).
                    if (_inFlight < _options.MaxConcurrency && _index.NextDueAt() is { } due && due < wakeAt)
                    {
                        wakeAt = due;
                    }
                }

                Interlocked.Increment(ref _loopPasses);

                await SleepUntilAsync(wakeAt).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            StatusStopped();
            _engine.Changes.RemoveListener(this);
            await _timer.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Reads what was appended since the last scan and refreshes the jobs with handlers it touched.</summary>
    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        try
        {
            Dictionary<JobId, long> touched = [];
            HashSet<JobId> parents = [];
            bool firstScan = !_scannedOnce;
            if (!firstScan && _engine.Journal is IJobEventHeadReader headReader)
            {
                await ScanHeadsAsync(headReader, touched, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ScanEntriesAsync(firstScan, touched, parents, cancellationToken).ConfigureAwait(false);
            }

            // A crash may have come between a child's end and its parent hearing of it.
            foreach (JobId parent in parents)
            {
                await _engine.SyncChildrenAsync(parent, cancellationToken).ConfigureAwait(false);
            }

            foreach ((JobId jobId, long sequence) in touched)
            {
                if (!firstScan && _engine.KnownStatus(jobId, sequence) is { } known)
                {
                    // Written (or caught up) in this process: the worker was told when it happened.
                    if (known.IsTerminal())
                    {
                        Untrack(jobId);
                    }

                    continue;
                }

                if (await _engine.GetStateAsync(jobId, cancellationToken).ConfigureAwait(false) is { } state)
                {
                    Refresh(JobRunFacts.Of(state), force: false);
                    if (state.IsTerminal)
                    {
                        Untrack(jobId);
                    }
                }
            }

            _scannedOnce = true;
            StatusScanned();
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.WorkerScanFailed(_logger, _options.WorkerId, exception);
        }
    }

    /// <summary>Reads whole entries: at start, to find the children whose parents may have missed their end.</summary>
    private async Task ScanEntriesAsync(bool firstScan, Dictionary<JobId, long> touched, HashSet<JobId> parents, CancellationToken cancellationToken)
    {
        while (true)
        {
            IReadOnlyList<JobEventLogEntry> page = await _engine.Journal.ReadAllAsync(_scannedTo + 1, ScanPageSize, cancellationToken).ConfigureAwait(false);
            lock (_indexLock)
            {
                TrackEntries(page, firstScan, touched, parents);
            }

            if (page.Count < ScanPageSize)
            {
                return;
            }
        }
    }

    private void TrackEntries(IReadOnlyList<JobEventLogEntry> page, bool firstScan, Dictionary<JobId, long> touched, HashSet<JobId> parents)
    {
        foreach (JobEventLogEntry entry in page)
        {
            _scannedTo = entry.Position;
            if (entry.EventType == ExecutionEventTypes.Created)
            {
                if (firstScan && JobCreatedFact.ReadJobId(entry, ReservedAttributes.Parent) is { } parent)
                {
                    parents.Add(parent);
                }

                if (JobCreatedFact.TryRead(entry, out JobType type, out _))
                {
                    Track(entry.JobId, type, entry.Sequence, touched);
                }
            }
            else if (_tracked.Contains(entry.JobId))
            {
                touched[entry.JobId] = entry.Sequence;
            }
        }
    }

    /// <summary>Reads entry heads only (no content decoded, no checksum): enough to know which jobs moved.</summary>
    private async Task ScanHeadsAsync(IJobEventHeadReader reader, Dictionary<JobId, long> touched, CancellationToken cancellationToken)
    {
        while (true)
        {
            IReadOnlyList<JobEventHead> page = await reader.ReadHeadsAsync(_scannedTo + 1, ScanPageSize, cancellationToken).ConfigureAwait(false);
            lock (_indexLock)
            {
                TrackHeads(page, touched);
            }

            if (page.Count < ScanPageSize)
            {
                return;
            }
        }
    }

    private void TrackHeads(IReadOnlyList<JobEventHead> page, Dictionary<JobId, long> touched)
    {
        foreach (JobEventHead head in page)
        {
            _scannedTo = head.Position;
            if (head.CreatedJobType is { } type)
            {
                Track(head.JobId, type, head.Sequence, touched);
            }
            else if (_tracked.Contains(head.JobId))
            {
                touched[head.JobId] = head.Sequence;
            }
        }
    }

    private void Untrack(JobId jobId)
    {
        lock (_indexLock)
        {
            _tracked.Remove(jobId);
        }
    }

    private void Track(JobId jobId, JobType type, long sequence, Dictionary<JobId, long> touched)
    {
        if (_engine.Plans.TryGet(type, out JobPlan? plan) && Runs(plan))
        {
            _tracked.Add(jobId);
            touched[jobId] = sequence;
        }
    }

    /// <summary>Applies queued state changes to the index (under the index lock: the loop's pass, or a run that ended).</summary>
    private void DrainInbox()
    {
        while (_inbox.TryDequeue(out WorkerMessage message))
        {
            Apply(message);
        }
    }

    /// <summary>Applies a state change and/or a finished run to the index and the counters (under the index lock).</summary>
    private void Apply(in WorkerMessage message)
    {
        if (message.Finished is { } finished)
        {
            Interlocked.Decrement(ref _inFlight);
            _busy.Remove((finished.JobId, finished.IsCompensation));
            _runningByType[finished.JobType]--;
        }

        // A job this process is running is not indexed while it runs (its run puts it back when it
        // ends): it must not wake the loop, or be taken over by its own worker.
        if (message.Job is { } job)
        {
            if (job.Status.IsTerminal())
            {
                _tracked.Remove(job.JobId); // the journal scan need not follow it any more
            }

            if (message.Force || !_busy.Contains((job.JobId, job.Status == JobStatus.Compensating)))
            {
                _index.Update(job, message.Due, message.Force);
            }
        }
    }

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
    private async Task<JobRunFacts?> RunOneAsync(RunnableJobIndex.Candidate candidate)
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
                using var run = new AttemptRun(_engine, _handlers[candidate.JobType], _options, _scopes, _logger, _renewals!, claim, candidate.DueAt, _hardStop.Token);
                _running[jobId] = run;
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
    private async Task<WorkerMessage> PutBackAsync(RunnableJobIndex.Candidate finished, JobRunFacts? last)
    {
        JobRunFacts? job = null;
        try
        {
            // The job as the run's last append left it is still the job when nothing moved since: no read.
            job = last is { } known && _engine.KnownVersion(finished.JobId) == known.Version
                ? known
                : await _engine.GetStateAsync(finished.JobId, _hardStop.Token).ConfigureAwait(false) is { } state ? JobRunFacts.Of(state) : null;
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

    private void Refresh(in JobRunFacts job, bool force)
    {
        _inbox.Enqueue(new WorkerMessage(job, RunnableAt(job), force, Finished: null));
        Wake();
    }

    private DateTimeOffset? RunnableAt(in JobRunFacts job)
    {
        JobPlan plan = _engine.PlanOf(job.JobType);
        return Runs(plan) ? JobRunnability.RunnableAt(job, plan, Compensates(plan)) : null;
    }

    private void Wake() => _wake.Signal();

    private void OnTimer()
    {
        // Forget the armed time first: a timer may fire a hair before the clock reads that time, and the
        // loop must then arm it again rather than wait for a timer that will not fire twice.
        Interlocked.Exchange(ref _armedForTicks, 0);
        Wake();
    }

    /// <summary>Sleeps until a time on the engine's clock, or until woken (a stop wakes it too).</summary>
    private ValueTask SleepUntilAsync(DateTimeOffset wakeAt)
    {
        while (true)
        {
            DateTimeOffset now = _time.GetUtcNow();
            if (wakeAt <= now)
            {
                return ValueTask.CompletedTask;
            }

            if (wakeAt.UtcTicks != Interlocked.Read(ref _armedForTicks))
            {
                // A timer is armed relative to the clock at arming time: if the clock jumped between reading it
                // and arming (a test's clock; a stalled thread), the timer would fire late, past wakeAt: arm again.
                Interlocked.Exchange(ref _armedForTicks, wakeAt.UtcTicks);
                _timer!.Change(wakeAt - now, Timeout.InfiniteTimeSpan);
                if (_time.GetUtcNow() - now > ArmingTolerance)
                {
                    Interlocked.Exchange(ref _armedForTicks, 0);
                    continue;
                }
            }

            return _wake.WaitAsync();
        }
    }

    /// <summary>A change for the worker's loop: a job's state (and when it may run), and/or a run that finished.</summary>
    private readonly record struct WorkerMessage(JobRunFacts? Job, DateTimeOffset? Due, bool Force, RunnableJobIndex.Candidate? Finished);
}
