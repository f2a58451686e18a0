namespace JobManagement.Journal.Conformance.Workers;

/// <summary>
/// A clock the test moves by hand, shared by every test project, with timers that fire only when it is advanced past their due time
/// (Microsoft.Extensions.TimeProvider.Testing is not on the registry here). Task.Delay, PeriodicTimer,
/// CancellationTokenSource timeouts and Polly's waits all run on it when given this provider.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private long _utcTicks;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public ManualTimeProvider(DateTimeOffset start) => _utcTicks = start.UtcTicks;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Gets how many timers are armed (a test can wait until the code under test is waiting on the clock).</summary>
    public int ArmedTimerCount
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(static t => t.DueTicks is not null);
            }
        }
    }

    /// <summary>Tells whether a timer is armed to fire exactly at a time (a test waits for it before advancing, so the advance reaches that wait).</summary>
    public bool HasTimerDueAt(DateTimeOffset at)
    {
        lock (_lock)
        {
            return _timers.Any(t => t.DueTicks == at.UtcTicks);
        }
    }

    /// <summary>Waits (yielding, never sleeping) until a timer is armed for exactly that time; fails after 20 real seconds.</summary>
    public async Task WaitForTimerAsync(DateTimeOffset at)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!HasTimerDueAt(at))
        {
            timeout.Token.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <summary>Moves the clock on, firing every timer that falls due on the way, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        long target = Interlocked.Read(ref _utcTicks) + by.Ticks;
        while (true)
        {
            ManualTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.DueTicks <= target).MinBy(static t => t.DueTicks);
                if (next is null)
                {
                    Interlocked.Exchange(ref _utcTicks, target);
                    return;
                }

                Interlocked.Exchange(ref _utcTicks, Math.Max(Interlocked.Read(ref _utcTicks), next.DueTicks!.Value));
                next.DueTicks = next.PeriodTicks is { } period ? next.DueTicks + period : null;
            }

            next.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private void Remove(ManualTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? DueTicks { get; set; }

        public long? PeriodTicks { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                DueTicks = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow().UtcTicks + Math.Max(0, dueTime.Ticks);
                PeriodTicks = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period.Ticks;
            }

            if (dueTime == TimeSpan.Zero)
            {
                owner.Advance(TimeSpan.Zero);
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
