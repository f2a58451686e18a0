namespace JobManagement;

/// <summary>The worker's status for health checks and gauges: published by its loop, read from any thread.</summary>
internal sealed partial class JobWorker : IJobWorkerStatus
{
    private const long NoTime = long.MinValue;

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

    /// <summary>Publishes what the index holds (the loop's thread only): a job running here keeps a candidate for a takeover, which is not waiting.</summary>
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
