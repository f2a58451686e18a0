using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;

namespace JobManagement;

/// <summary>
/// One claimed job run by the worker through its type's Polly pipeline: each execution of the pipeline's
/// callback is one journalled attempt (claimed, leased, renewed, ended), and each Polly wait between two
/// attempts is journalled as the failed attempt's <c>job.retry-at</c>, so a restart resumes at that time.
/// </summary>
internal sealed class AttemptRun : IDisposable
{
    private static readonly ResiliencePropertyKey<AttemptRun> Key = new("JobManagement.AttemptRun");

    private readonly JobEngine _engine;
    private readonly JobHandlerRegistration _handler;
    private readonly JobWorkerOptions _options;
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger _logger;
    private readonly JsonElement? _input;
    private readonly CancellationTokenSource _cancel;
    private readonly LeaseRenewals _renewals;
    private bool _needsClaim;
    private (double Fraction, string? Message)? _pendingProgress;
    private DateTimeOffset? _lastProgressAt;
    private volatile StopReason _stop;
    private volatile bool _waitingForRetry;
    private bool _succeededInTransaction;

    // Telemetry of the attempt in flight (never read back by the run's decisions).
    private ActivityContext? _createdBy;
    private Activity? _span;
    private DateTimeOffset _runnableSince;
    private DateTimeOffset _attemptStartedAt;
    private bool _attemptOpen;

    /// <remarks>
    /// The run's token is its own, not linked to the worker's hard stop: a linked source registers with the worker's for
    /// every attempt, and every run in flight did so on that one source. The worker stops its runs itself on a hard stop.
    /// </remarks>
    public AttemptRun(JobEngine engine, JobHandlerRegistration handler, JobWorkerOptions options, IServiceScopeFactory scopes, ILogger logger, LeaseRenewals renewals, AttemptClaim claimed, DateTimeOffset runnableSince)
    {
        _engine = engine;
        _renewals = renewals;
        _handler = handler;
        _options = options;
        _scopes = scopes;
        _logger = logger;
        JobId = claimed.Job.JobId;
        JobType = claimed.Job.JobType;
        Correlation = claimed.Correlation;
        _input = claimed.Input;
        Attempt = claimed.Attempt ?? throw new ArgumentException("The claim started no attempt.", nameof(claimed));
        _runnableSince = runnableSince;
        _attemptStartedAt = claimed.AttemptStartedAt() ?? engine.Time.GetUtcNow();
        _cancel = new CancellationTokenSource();
    }

    /// <summary>Why a run was stopped from outside its handler.</summary>
    public enum StopReason
    {
        None,
        Aborted,
        LostJob,
        Shutdown,
        Released,
    }

    public JobId JobId { get; }

    public JobType JobType { get; }

    public EventAttributes Correlation { get; }

    public int Attempt { get; private set; }

    /// <summary>Gets the worker's view of the job after the run's last append (the worker reuses it when nothing moved since).</summary>
    public JobRunFacts? LastJob { get; private set; }

    public JobEngine Engine => _engine;

    /// <summary>Gets a value indicating whether the run is between two attempts, in Polly's wait (the failed attempt and its retry time are journalled).</summary>
    public bool IsWaitingForRetry => _waitingForRetry;

    public static AttemptRun From(ResilienceContext context) =>
        context.Properties.TryGetValue(Key, out AttemptRun? run) ? run : throw new InvalidOperationException("The resilience context carries no attempt run.");

    /// <summary>Stops the run: its handler's token is cancelled, and so is any Polly wait. Never blocks the caller.</summary>
    public void Stop(StopReason reason)
    {
        if (_stop == StopReason.None)
        {
            _stop = reason;
        }

        try
        {
            _ = _cancel.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The run ended and was disposed while a shutdown was stopping every run: nothing is left to stop.
        }
    }

    public async Task RunAsync()
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(_cancel.Token);
        context.Properties.Set(Key, this);
        try
        {
            JsonElement? result = await _handler.Pipeline(_engine.Time)
                .ExecuteAsync(static (ctx, state) => state.Run.ExecuteAttemptAsync(ctx), context, new PipelineState(this))
                .ConfigureAwait(false);
            if (_succeededInTransaction)
            {
                // Committed with the handler's writes: tell this process's listeners of the new state.
                EndAttempt(AttemptEnd.Succeeded, null);
                await _engine.RefreshAfterTransactionAsync(JobId, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await FlushProgressAsync().ConfigureAwait(false);
                DateTimeOffset now = _engine.Time.GetUtcNow();
                (bool applied, _) = await RecordAsync(ExecutionFacts.AttemptSucceeded(_engine.Ids.NewEventId(now), Attempt, result, now)).ConfigureAwait(false);
                EndAttempt(applied ? AttemptEnd.Succeeded : AttemptEnd.RecordOnly, null);
            }
        }
        catch (ClaimLostException)
        {
            // The next attempt was not ours to start (aborted meanwhile, or another worker took it),
            // or the attempt's success was rolled back because it no longer was the running one.
            EndAttempt(AttemptEnd.RecordOnly, null);
        }
        catch (Exception) when (_cancel.IsCancellationRequested)
        {
            await RecordStoppedAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            await FlushProgressAsync().ConfigureAwait(false);
            ExecutionFailure failure = ExecutionFailure.From(exception);
            (bool applied, _) = await RecordAsync(ExecutionFacts.AttemptFailed(_engine.Ids.NewEventId(), Attempt, failure, null, _engine.Time.GetUtcNow())).ConfigureAwait(false);
            EndAttempt(applied ? AttemptEnd.Failed : AttemptEnd.RecordOnly, exception);
            if (applied)
            {
                _engine.Telemetry.RecordDeadLettered(JobType);
                Log.AttemptDeadLettered(_logger, JobId, JobType, Attempt, LogText.Safe(failure.Type), exception);
            }
        }
        finally
        {
            EndAttempt(AttemptEnd.Interrupted, null); // only when an exit above left it open
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Whether Polly may retry after this failure: not after a stop, never a validation error, and only while attempts are left (counted over the job's whole history).</summary>
    public bool MayRetry(Exception exception, JobHandlerRegistration handler) =>
        !_cancel.IsCancellationRequested
        && exception is not (ClaimLostException or OperationCanceledException)
        && handler.IsRetryable(exception)
        && Attempt < handler.MaxAttempts;

    /// <summary>Journals the failed attempt with the time Polly will retry it; stops the run if the job is no longer ours.</summary>
    public async ValueTask RecordRetryAsync(Exception exception, TimeSpan delay)
    {
        await FlushProgressAsync().ConfigureAwait(false);
        DateTimeOffset now = _engine.Time.GetUtcNow();
        ExecutionFailure failure = ExecutionFailure.From(exception);
        (bool applied, _) = await RecordAsync(ExecutionFacts.AttemptFailed(_engine.Ids.NewEventId(now), Attempt, failure, now + delay, now)).ConfigureAwait(false);
        EndAttempt(applied ? AttemptEnd.Retrying : AttemptEnd.RecordOnly, exception);
        if (applied)
        {
            _waitingForRetry = true;
            _runnableSince = now + delay;
            Log.AttemptRetrying(_logger, JobId, JobType, Attempt, delay, LogText.Safe(failure.Type), exception);
        }
        else
        {
            Stop(StopReason.LostJob);
        }
    }

    public TInput ReadInput<TInput>(JsonSerializerOptions serializer) =>
        _input is { } input ? input.Deserialize<TInput>(serializer)! : default!;

    public async ValueTask ReportProgressAsync(double fraction, string? message, CancellationToken cancellationToken)
    {
        if (double.IsNaN(fraction) || fraction is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "Progress is a fraction from 0 to 1.");
        }

        int max = _engine.Options.MaxReasonLength;
        string? text = message is { Length: > 0 } m ? (m.Length > max ? m[..max] : m) : null;
        DateTimeOffset now = _engine.Time.GetUtcNow();
        if (fraction < 1 && _lastProgressAt is { } last && now - last < _options.ProgressInterval)
        {
            _pendingProgress = (fraction, text); // throttled: the latest is written later
            return;
        }

        _pendingProgress = null;
        _lastProgressAt = now;
        await RecordAsync(ExecutionFacts.Progress(_engine.Ids.NewEventId(now), fraction, text, now), cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        EndAttempt(AttemptEnd.Interrupted, null);
        _cancel.Dispose();
    }

    private async ValueTask<JsonElement?> ExecuteAttemptAsync(ResilienceContext context)
    {
        _waitingForRetry = false;
        if (_needsClaim)
        {
            AttemptClaim claim = await _engine.TryClaimAsync(JobId, _options.WorkerId, _options.LeaseDuration, context.CancellationToken).ConfigureAwait(false);
            Attempt = claim.Attempt ?? throw new ClaimLostException();
            _attemptStartedAt = claim.AttemptStartedAt() ?? _engine.Time.GetUtcNow();
        }

        _needsClaim = true;
        _lastProgressAt = null;
        if (_createdBy is null && JobEngineTelemetry.IsTracing)
        {
            _createdBy = await _engine.ReadCreationContextAsync(JobId, context.CancellationToken).ConfigureAwait(false);
        }

        BeginAttempt(); // not async: the span must become current in this flow, where the handler runs
        // A scope only matters to a logger that writes something (at the least, critical entries).
        using IDisposable? scope = _logger.IsEnabled(LogLevel.Critical) ? _logger.BeginScope(new JobLogScope(JobId, JobType, JobLogScope.AttemptKey, Attempt)) : null;
        StartRenewing();
        try
        {
            await using AsyncServiceScope services = _scopes.CreateAsyncScope();
            IJobUnitOfWork? unitOfWork = services.ServiceProvider.GetService<IJobUnitOfWork>();
            if (unitOfWork is not null)
            {
                await unitOfWork.BeginAsync(new JobAttemptInfo(JobId, JobType, Attempt), context.CancellationToken).ConfigureAwait(false);
            }

            try
            {
                JsonElement? result = await _handler.InvokeAsync(services.ServiceProvider, this, _options.SerializerOptions, context.CancellationToken).ConfigureAwait(false);
                if (unitOfWork is not null)
                {
                    await CommitUnitOfWorkAsync(unitOfWork, result, context.CancellationToken).ConfigureAwait(false);
                }

                return result;
            }
            catch when (unitOfWork is not null)
            {
                await unitOfWork.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            await StopRenewingAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Commits the attempt's unit of work. When it shares the journal's transaction (and the journal can
    /// append in it), the success — after any pending progress — is appended inside that transaction first,
    /// so the handler's writes and the job's completion are one commit: if the commit throws, neither
    /// exists and the attempt failed; if the attempt is no longer the running one (aborted, or taken over),
    /// it rolls back and the run ends quietly. Lease renewals stop first, so none is recorded after the outcome.
    /// Otherwise: commit, and the success is recorded afterwards (two steps).
    /// </summary>
    private async ValueTask CommitUnitOfWorkAsync(IJobUnitOfWork unitOfWork, JsonElement? result, CancellationToken cancellationToken)
    {
        if (unitOfWork is not IJobJournalTransaction { IsActive: true } transaction || !_engine.CanAppendInTransaction)
        {
            await unitOfWork.CommitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await StopRenewingAsync().ConfigureAwait(false);
        DateTimeOffset now = _engine.Time.GetUtcNow();
        List<NewJobEvent> facts = new(2);
        if (_pendingProgress is { } pending)
        {
            facts.Add(ExecutionFacts.Progress(_engine.Ids.NewEventId(now), pending.Fraction, pending.Message, now));
        }

        facts.Add(ExecutionFacts.AttemptSucceeded(_engine.Ids.NewEventId(now), Attempt, result, now));
        if (!await _engine.RecordAttemptFactsInTransactionAsync(transaction, JobId, JobType, Attempt, facts, cancellationToken).ConfigureAwait(false))
        {
            // Aborted, or taken over by another worker, while the handler ran: its writes must not commit.
            throw new ClaimLostException();
        }

        await unitOfWork.CommitAsync(cancellationToken).ConfigureAwait(false);
        _pendingProgress = null;
        _succeededInTransaction = true;
    }

    /// <summary>Gets or sets the attempt whose lease the worker's renewal clock renews; null between attempts. Guarded by the clock's lock (<see cref="LeaseRenewals"/>).</summary>
    internal int? RenewingAttempt { get; set; }

    /// <summary>Gets or sets the renewal in flight (or the last one). Guarded by the clock's lock.</summary>
    internal Task Renewal { get; set; } = Task.CompletedTask;

    /// <summary>
    /// Called by the worker's renewal clock, under its lock, once per interval while the attempt runs: starts one
    /// renewal of its lease, unless the previous one is still in flight.
    /// </summary>
    internal void StartRenewalLocked()
    {
        if (RenewingAttempt is { } attempt && Renewal.IsCompleted)
        {
            // Off the clock's thread: the renewal is an append, and the clock asks every running attempt in turn.
            Renewal = Task.Run(() => RenewLeaseAsync(attempt, _cancel.Token));
        }
    }

    private void StartRenewing() => _renewals.Start(this, Attempt);

    /// <summary>Stops renewing the attempt's lease and waits for a renewal in flight, so none is recorded after the attempt's outcome.</summary>
    private async ValueTask StopRenewingAsync()
    {
        if (_renewals.Stop(this) is { } inFlight)
        {
            await inFlight.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Renews the attempt's lease once; a renewal that does not apply means the job is no longer ours.</summary>
    private async Task RenewLeaseAsync(int attempt, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _engine.Time.GetUtcNow();
        (bool applied, JobRunFacts job) = await _engine.RecordAttemptFactAsync(JobId, ExecutionFacts.LeaseRenewed(_engine.Ids.NewEventId(now), attempt, now + _options.LeaseDuration, now), cancellationToken).ConfigureAwait(false);
        if (!applied && _renewals.IsRenewing(this, attempt))
        {
            // (A renewal that lands after the attempt's own outcome, when renewing has already stopped, means nothing.)
            Stop(job.Status.IsTerminal() ? StopReason.Aborted : StopReason.LostJob);
        }
    }

    private async ValueTask FlushProgressAsync()
    {
        if (_pendingProgress is { } pending)
        {
            _pendingProgress = null;
            DateTimeOffset now = _engine.Time.GetUtcNow();
            _lastProgressAt = now;
            await RecordAsync(ExecutionFacts.Progress(_engine.Ids.NewEventId(), pending.Fraction, pending.Message, now)).ConfigureAwait(false);
        }
    }

    /// <summary>After a stop: a shutdown records the attempt as interrupted (it runs again at once); after an abort the late outcome is kept as record-only.</summary>
    private async ValueTask RecordStoppedAsync()
    {
        if (_stop == StopReason.LostJob || _waitingForRetry)
        {
            return; // nothing of ours is running: the journal already says what happened
        }

        await RecordAsync(ExecutionFacts.AttemptInterrupted(_engine.Ids.NewEventId(), Attempt, _engine.Time.GetUtcNow())).ConfigureAwait(false);
        EndAttempt(AttemptEnd.Interrupted, null);

        // The reason is read only here (an abort is rare): an attempt's facts do not materialise the job's state.
        if (_stop == StopReason.Aborted && (await _engine.GetStateAsync(JobId, CancellationToken.None).ConfigureAwait(false))?.AbortReason is { } reason)
        {
            Log.AttemptAborted(_logger, JobId, JobType, Attempt, reason);
        }
        else
        {
            Log.AttemptInterrupted(_logger, JobId, JobType, Attempt, _stop);
        }
    }

    /// <summary>Opens the attempt's span (linked to the trace that created the job) and records how long the job waited to run.</summary>
    private void BeginAttempt()
    {
        TimeSpan queueWait = _attemptStartedAt - _runnableSince;
        _engine.Telemetry.RecordQueueWait(JobType, queueWait);
        Log.AttemptStarted(_logger, JobId, JobType, Attempt, queueWait);
        _span = JobEngineTelemetry.StartAttempt(JobId, JobType, Attempt, _createdBy ?? default);
        _attemptOpen = true;
    }

    /// <summary>Closes the attempt's span and counts it, once: later calls for the same attempt do nothing.</summary>
    private void EndAttempt(AttemptEnd outcome, Exception? exception)
    {
        if (!_attemptOpen)
        {
            return;
        }

        _attemptOpen = false;
        TimeSpan duration = _engine.Time.GetUtcNow() - _attemptStartedAt;
        _engine.Telemetry.EndAttempt(_span, JobType, outcome, exception, duration);
        _span = null;
        string name = JobEngineTelemetry.OutcomeName(outcome); // a constant: nothing to save by guarding it
        Log.AttemptEnded(_logger, JobId, JobType, Attempt, name, duration);
    }

    /// <summary>
    /// The state handed to the pipeline's callback. A struct, so that Polly's generic methods run as code made for this
    /// very state type: with a class, they ran as code shared by every reference type, which looks its types up at run time.
    /// </summary>
    private readonly record struct PipelineState(AttemptRun Run);

    private async ValueTask<(bool Applied, JobRunFacts Job)> RecordAsync(NewJobEvent fact, CancellationToken cancellationToken = default)
    {
        (bool Applied, JobRunFacts Job) recorded = await _engine.RecordAttemptFactAsync(JobId, fact, cancellationToken).ConfigureAwait(false);
        LastJob = recorded.Job;
        return recorded;
    }
}
