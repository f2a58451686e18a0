namespace JobManagement.Benchmarks.Compare;

/// <summary>
/// Counts messages the saga handled and completes a task when an expected number is reached, so
/// the harness waits for real consumption (never for a fixed time).
/// </summary>
public sealed class ConsumptionCounter
{
    private long _count;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets how many messages were handled since the last <see cref="Expect"/>.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Starts a new phase: resets the count and returns a task completed after <paramref name="target"/> signals.</summary>
    public Task Expect(long target)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _count, 0);
        Volatile.Write(ref _target, target);
        return _reached.Task;
    }

    public void Signal()
    {
        if (Interlocked.Increment(ref _count) == Volatile.Read(ref _target))
        {
            _reached.TrySetResult();
        }
    }
}
