namespace JobManagement;

/// <summary>
/// An asynchronous mutual-exclusion lock for one stripe of <see cref="JobStreamGate"/>: taken
/// without allocating or awaiting when free (every ingest takes one), queued in arrival order
/// when held, and a waiter can give up through its cancellation token.
/// </summary>
/// <remarks>
/// A <see cref="SemaphoreSlim"/> did this before; its uncontended enter and release each take a
/// monitor on a path that showed up as about a tenth of an in-memory ingest in profiles. Here a free
/// lock is taken, and one nobody waits for released, with one atomic operation each; waiters queue
/// behind a <see cref="Lock"/>, and a release hands the lock directly to the first waiter whose wait
/// can still complete (a cancelled waiter's task is already cancelled, so the hand-off skips it), so
/// a cancelled wait can never leave a stale permit behind.
/// </remarks>
internal sealed class StripeLock
{
    private const int Held = 1;
    private const int OneWaiter = 2;

    private readonly Lock _sync = new();
    // Bit 0: held. The rest: how many waiters are queued, times two. Taking a free lock and releasing one nobody
    // waits for are each one compare-and-swap; the queue (and its lock) is touched only when a waiter is involved.
    // Waiters exist only while the lock is held: a release with waiters hands it to the first (it stays held).
    private int _state;
    private Queue<Waiter>? _waiters; // under _sync

    public ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (Interlocked.CompareExchange(ref _state, Held, 0) == 0)
        {
            return ValueTask.CompletedTask;
        }

        // The holder usually lets go within a microsecond or two (a fold and an in-memory append): spin a
        // little first, as SemaphoreSlim does, rather than queue a waiter and resume on another thread. A spinner
        // takes the lock only when it is free with no one queued, so it never overtakes a waiter.
        var spinner = default(SpinWait);
        while (!spinner.NextSpinWillYield)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (Volatile.Read(ref _state) == 0 && Interlocked.CompareExchange(ref _state, Held, 0) == 0)
            {
                return ValueTask.CompletedTask;
            }
        }

        Waiter waiter;
        lock (_sync)
        {
            while (true)
            {
                int state = Volatile.Read(ref _state);
                if (state == 0)
                {
                    if (Interlocked.CompareExchange(ref _state, Held, 0) == 0)
                    {
                        return ValueTask.CompletedTask;
                    }

                    continue;
                }

                // Counted and queued under _sync, so a release that sees the count finds the waiter in the queue.
                if (Interlocked.CompareExchange(ref _state, state + OneWaiter, state) == state)
                {
                    break;
                }
            }

            waiter = new Waiter();
            (_waiters ??= new Queue<Waiter>()).Enqueue(waiter);
        }

        return waiter.WaitAsync(cancellationToken);
    }

    public void Exit()
    {
        if (Interlocked.CompareExchange(ref _state, 0, Held) == Held)
        {
            return; // nobody waits
        }

        lock (_sync)
        {
            // Only this holder changes the state now: new waiters count themselves under _sync, and nobody takes a held lock.
            while (_waiters!.TryDequeue(out Waiter? next))
            {
                Interlocked.Add(ref _state, -OneWaiter);
                if (next.TryHandOff())
                {
                    return; // still held, now by the waiter
                }
            }

            Volatile.Write(ref _state, 0); // every waiter had given up
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
