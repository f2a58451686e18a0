namespace JobManagement;

/// <summary>
/// A snapshot of this process's job worker (see <see cref="IJobWorkerStatus"/>). Times are on the engine's
/// <see cref="TimeProvider"/>, so a check compares them with <see cref="At"/>, never with the wall clock.
/// Counts are what the worker's loop published last; they lag its work by at most one pass of the loop.
/// </summary>
public sealed record JobWorkerStatus
{
    /// <summary>Gets when the snapshot was taken (the engine's clock).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets a value indicating whether the worker's loop runs: started by the host and not stopped.</summary>
    public required bool IsRunning { get; init; }

    /// <summary>
    /// Gets when the worker last finished reading the journal for work (every poll interval, including work
    /// other processes appended); null before its first scan. A scan that fails leaves it unchanged, so a
    /// value far behind <see cref="At"/> means the worker cannot read the journal.
    /// </summary>
    public DateTimeOffset? LastScanAt { get; init; }

    /// <summary>Gets how many attempts and compensation runs execute in this process now.</summary>
    public int RunningCount { get; init; }

    /// <summary>Gets how many jobs the worker knows to be runnable, now or later (delayed starts, retries), and not running here.</summary>
    public int WaitingCount { get; init; }

    /// <summary>
    /// Gets the time since which the longest-waiting job that is due now has been runnable (its start, run-at or
    /// retry time); null when no job is due and waiting. <c>At - OldestWaitingSince</c> is how far the worker is behind.
    /// </summary>
    public DateTimeOffset? OldestWaitingSince { get; init; }
}
