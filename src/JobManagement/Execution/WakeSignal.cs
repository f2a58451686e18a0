using System.Threading.Tasks.Sources;

namespace JobManagement;

/// <summary>
/// Wakes the worker's loop: an auto-reset signal with one waiter (the loop) and any number of setters
/// (state changes, finished runs, the loop's timer, a stop). Setting it when the loop is not waiting leaves
/// it set, so the next wait returns at once; setting it again before that changes nothing.
/// </summary>
/// <remarks>
/// Allocation-free: the loop waits on a reusable <see cref="IValueTaskSource"/>. A <see cref="SemaphoreSlim"/>
/// with a timeout token did this before, and cost a timer, two token sources and a wait task on every pass of
/// the loop, which is about once per job at full speed. Continuations run asynchronously, because setters
/// may hold a job's gate.
/// </remarks>
internal sealed class WakeSignal : IValueTaskSource
{
    private const int Idle = 0;
    private const int Set = 1;
    private const int Waiting = 2;

    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private int _state;

    /// <summary>Gets a value indicating whether the signal is set: the next wait will return at once.</summary>
    public bool IsSet => Volatile.Read(ref _state) == Set;

    /// <summary>Wakes the waiter, or leaves the signal set for the next wait.</summary>
    public void Signal()
    {
        while (true)
        {
            switch (Volatile.Read(ref _state))
            {
                case Set:
                    return;
                case Idle when Interlocked.CompareExchange(ref _state, Set, Idle) == Idle:
                    return;
                case Waiting when Interlocked.CompareExchange(ref _state, Idle, Waiting) == Waiting:
                    _core.SetResult(true);
                    return;
            }
        }
    }

    /// <summary>Waits until signalled (at once when already set), and resets. One waiter at a time.</summary>
    public ValueTask WaitAsync()
    {
        if (Interlocked.CompareExchange(ref _state, Idle, Set) == Set)
        {
            return ValueTask.CompletedTask;
        }

        _core.Reset();
        if (Interlocked.CompareExchange(ref _state, Waiting, Idle) != Idle)
        {
            // Set in between (only a setter moves it from Idle, and only to Set): take it.
            Volatile.Write(ref _state, Idle);
            return ValueTask.CompletedTask;
        }

        return new ValueTask(this, _core.Version);
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
