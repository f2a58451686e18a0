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
    // State changes arrive on every append, under the job's gate: they are queued here, not applied there (a lock
    // there was contended), and applied in order under the index lock by the loop, or by a run that ends.
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
        // The job's facts are read from the fold only when needed: not for its own claim, while its run is only registered.
        if (_running.TryGetValue(slot.JobId, out AttemptRun? run))
        {
            if (run is not null && !slot.RunFacts.HasLiveAttempt)
            {
                // Aborted, failed by a rule, compensating, or taken over: the attempt is no longer the job's running one.
                run.Stop(AttemptRun.StopReason.Aborted);
            }

            // Nothing for the loop while the run lasts (the index skips a busy job), unless the job now needs
            // its compensation, which runs at once even beside a handler that ignores its token. Otherwise the
            // run's put-back refreshes the index when it ends: waking the loop here cost a pass per attempt fact.
            if (slot.Status != JobStatus.Compensating)
            {
                return;
            }
        }

        Refresh(slot.RunFacts, force: false);
    }

    private IEnumerable<AttemptRun> RunningAttempts => _running.Values.OfType<AttemptRun>();

    /// <summary>Stops every attempt this worker runs: on a shutdown, and on a hard stop (an attempt's token is not linked to the hard stop's).</summary>
    private void StopRunningAttempts()
    {
        foreach (AttemptRun run in RunningAttempts)
        {
            run.Stop(AttemptRun.StopReason.Shutdown);
        }
    }

    /// <summary>
    /// Marks the worker running before the host's start returns. <see cref="BackgroundService"/> runs <c>ExecuteAsync</c> on a
    /// thread of its own (.NET 10), so a health check right after the host started would otherwise see it not started yet.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        StatusStarted();
        return base.StartAsync(cancellationToken);
    }

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
        StopRunningAttempts(); // each records its attempt as interrupted
        await _hardStop.CancelAsync().ConfigureAwait(false); // compensation runs and claims in flight
        StopRunningAttempts(); // and a run that a claim in flight registered since
        await all.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        // Handlers that ignore their token are still running when the host gives up: record their
        // attempts as interrupted here, so the jobs run again at once; a late outcome is record-only.
        foreach (AttemptRun stuck in RunningAttempts)
        {
            try
            {
                DateTimeOffset now = _time.GetUtcNow();
                await _engine.RecordAttemptFactAsync(stuck.JobId, ExecutionFacts.AttemptInterrupted(_engine.Ids.NewEventId(now), stuck.Attempt, now), CancellationToken.None).ConfigureAwait(false);
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
        StopRunningAttempts();
        _hardStop.Dispose();
        _renewals?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Log.WorkerStarted(_logger, _options.WorkerId, _handlers.Count, _options.MaxConcurrency);
        _engine.Changes.AddListener(this);

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

    /// <summary>Applies queued state changes to the index (under the index lock: the loop's pass, or a run that ended).</summary>
    private void DrainInbox()
    {
        DateTimeOffset? now = null; // read once, and only when there is something to apply
        while (_inbox.TryDequeue(out WorkerMessage message))
        {
            Apply(message, now ??= _time.GetUtcNow());
        }
    }

    /// <summary>Applies a state change and/or a finished run to the index and the counters (under the index lock).</summary>
    private void Apply(in WorkerMessage message, DateTimeOffset now)
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
                _index.Update(job, message.Due, now, message.Force);
            }
        }
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
