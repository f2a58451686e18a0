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
/// renewal. Registering is a set insertion.
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

    public void Add(AttemptRun run)
    {
        lock (_sync)
        {
            _runs.Add(run);
        }
    }

    public void Remove(AttemptRun run)
    {
        lock (_sync)
        {
            _runs.Remove(run);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        AttemptRun[] due;
        lock (_sync)
        {
            if (_runs.Count == 0)
            {
                return;
            }

            due = [.. _runs];
        }

        foreach (AttemptRun run in due)
        {
            run.RenewLease();
        }
    }
}
