namespace JobManagement;

/// <summary>
/// One clock for the lease renewals of every attempt a worker runs: a single periodic timer that, every
/// <see cref="JobWorkerOptions.LeaseRenewalInterval"/>, asks each registered run to renew its lease. A run
/// registers when its attempt starts and leaves when it ends, so a live attempt's lease is renewed at most
/// one interval after it started and then once per interval.
/// </summary>
/// <remarks>
/// Each attempt used to start its own <see cref="PeriodicTimer"/>: a timer, a waiting task and two trips
/// through the runtime's timer queue per attempt, although nearly every attempt ends long before its first
/// renewal. Registering is a set insertion. The clock's lock also guards each run's renewal state (which attempt it
/// renews, and the renewal in flight), so a run needs no lock of its own.
/// </remarks>
internal sealed class LeaseRenewals : IDisposable
{
    private readonly Lock _sync = new();
    private readonly HashSet<AttemptRun> _runs = [];
    private readonly ITimer _timer;

    public LeaseRenewals(TimeProvider time, TimeSpan interval)
    {
        _timer = time.CreateTimer(static renewals => ((LeaseRenewals)renewals!).Tick(), this, interval, interval);
    }

    /// <summary>Gets how many runs are registered (for tests).</summary>
    public int Count
    {
        get
        {
            lock (_sync)
            {
                return _runs.Count;
            }
        }
    }

    /// <summary>Starts renewing a run's attempt: the clock asks it to renew from its next tick on.</summary>
    public void Start(AttemptRun run, int attempt)
    {
        lock (_sync)
        {
            run.RenewingAttempt = attempt;
            _runs.Add(run);
        }
    }

    /// <summary>Stops renewing a run's attempt; returns the renewal in flight (the caller awaits it), or null when it was not renewing.</summary>
    public Task? Stop(AttemptRun run)
    {
        lock (_sync)
        {
            if (run.RenewingAttempt is null)
            {
                return null;
            }

            run.RenewingAttempt = null;
            _runs.Remove(run);
            return run.Renewal;
        }
    }

    /// <summary>Whether the run still renews this attempt (a renewal that did not apply stops it only then).</summary>
    public bool IsRenewing(AttemptRun run, int attempt)
    {
        lock (_sync)
        {
            return run.RenewingAttempt == attempt;
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        // Under the lock that also guards each run's renewal state: starting a renewal is only a queued task.
        lock (_sync)
        {
            foreach (AttemptRun run in _runs)
            {
                run.StartRenewalLocked();
            }
        }
    }
}
