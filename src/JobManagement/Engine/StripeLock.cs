namespace JobManagement;

/// <summary>
/// An asynchronous mutual-exclusion lock for one stripe of <see cref="JobStreamGate"/>: taken
/// without allocating or awaiting when free (every ingest takes one), queued in arrival order
/// when held, and a waiter can give up through its cancellation token.
/// </summary>
/// <remarks>
/// A <see cref="SemaphoreSlim"/> did this before; its uncontended enter and release each take a
/// monitor on a path that showed up as about a tenth of an in-memory ingest in profiles. Here the
/// state sits behind a <see cref="Lock"/>, and a release hands the lock directly to the first
/// waiter whose wait can still complete (a cancelled waiter's task is already cancelled, so the
/// hand-off skips it), so a cancelled wait can never leave a stale permit behind.
/// </remarks>
internal sealed class StripeLock
{
    private readonly Lock _sync = new();
    private bool _held;
    private Queue<Waiter>? _waiters;

    public ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();

        // The holder usually lets go within a microsecond or two (a fold and an in-memory append): spin a
        // little first, as SemaphoreSlim does, rather than queue a waiter and resume on another thread. A
        // release hands the lock to a queued waiter directly, so a spinner never overtakes one.
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _held) && !spinner.NextSpinWillYield)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
        }

        Waiter waiter;
        lock (_sync)
        {
            if (!_held)
            {
                _held = true;
                return ValueTask.CompletedTask;
            }

            waiter = new Waiter();
            (_waiters ??= new Queue<Waiter>()).Enqueue(waiter);
        }

        return waiter.WaitAsync(cancellationToken);
    }

    public void Exit()
    {
        lock (_sync)
        {
            while (_waiters is { Count: > 0 } waiters)
            {
                if (waiters.Dequeue().TryHandOff())
                {
                    return; // still held, now by the waiter
                }
            }

            _held = false;
        }
    }

    private sealed class Waiter
    {
        private readonly TaskCompletionSource _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TryHandOff() => _granted.TrySetResult();

        public async ValueTask WaitAsync(CancellationToken cancellationToken)
        {
            if (!cancellationToken.CanBeCanceled)
            {
                await _granted.Task.ConfigureAwait(false);
                return;
            }

            // Whichever comes first wins: the hand-off (we hold the lock) or the cancellation (the
            // hand-off will skip us). The waiter stays queued until a release dequeues it.
            using (cancellationToken.UnsafeRegister(static (state, token) => ((TaskCompletionSource)state!).TrySetCanceled(token), _granted))
            {
                await _granted.Task.ConfigureAwait(false);
            }
        }
    }
}
