namespace JobManagement;

/// <summary>The worker's status for health checks and gauges: published by its loop, read from any thread.</summary>
internal sealed partial class JobWorker : IJobWorkerStatus
{
    private const long NoTime = long.MinValue;

    // Under load the loop passes once per job or so: it then publishes at most this often (real time, not the
    // engine's clock, which a test may hold still). An idle loop always publishes before it sleeps.
    private const long StatusIntervalMilliseconds = 10;

    private long _statusPublishedAt; // Environment.TickCount64 of the last publication (0: never; the clock counts from boot)

    private volatile bool _isRunning;
    private int _waitingCount;
    private long _lastScanTicks = NoTime;
    private long _oldestWaitingTicks = NoTime;

    /// <summary>Gets how many jobs the worker knows to be runnable, now or later, and not running (as of its loop's last pass).</summary>
    public int WaitingCount => Volatile.Read(ref _waitingCount);

    /// <inheritdoc />
    public JobWorkerStatus GetStatus() => new()
    {
        At = _time.GetUtcNow(),
        IsRunning = _isRunning,
        LastScanAt = TimeOf(Volatile.Read(ref _lastScanTicks)),
        RunningCount = RunningCount,
        WaitingCount = WaitingCount,
        OldestWaitingSince = TimeOf(Volatile.Read(ref _oldestWaitingTicks)),
    };

    private static DateTimeOffset? TimeOf(long utcTicks) => utcTicks == NoTime ? null : new DateTimeOffset(utcTicks, TimeSpan.Zero);

    private void StatusStarted()
    {
        _isRunning = true;
        _engine.Telemetry.AttachWorker(this);
    }

    private void StatusStopped()
    {
        _isRunning = false;
        _engine.Telemetry.DetachWorker(this);
    }

    private void StatusScanned() => Volatile.Write(ref _lastScanTicks, _time.GetUtcNow().UtcTicks);

    /// <summary>Publishes the status when the loop is about to sleep, or when the last was published long enough ago (under the index lock).</summary>
    private void PublishStatusWhenDue()
    {
        if (!_wake.IsSet)
        {
            _statusPublishedAt = Environment.TickCount64;
            PublishStatus();
            return;
        }

        PublishStatusWhenStale();
    }

    /// <summary>Publishes the status when the last was published long enough ago (under the index lock).</summary>
    private void PublishStatusWhenStale()
    {
        long now = Environment.TickCount64;
        if (now - _statusPublishedAt >= StatusIntervalMilliseconds)
        {
            _statusPublishedAt = now;
            PublishStatus();
        }
    }

    /// <summary>Publishes what the index holds (under the index lock): a job running here keeps a candidate for a takeover, which is not waiting.</summary>
    private void PublishStatus()
    {
        int waiting = _index.Count;
        foreach ((JobId jobId, _) in _busy)
        {
            if (_index.Contains(jobId))
            {
                waiting--;
            }
        }

        Volatile.Write(ref _waitingCount, Math.Max(0, waiting));
        Volatile.Write(ref _oldestWaitingTicks, _index.OldestDueAt(_time.GetUtcNow()) is { } oldest ? oldest.UtcTicks : NoTime);
    }
}
