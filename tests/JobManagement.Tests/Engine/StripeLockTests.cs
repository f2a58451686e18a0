namespace JobManagement.Tests.Engine;

/// <summary>The engine's per-stripe async lock: exclusion, arrival order, and waits that give up.</summary>
public sealed class StripeLockTests
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Free_IsTakenAtOnce_AndAWaiterGetsItOnExit()
    {
        var stripe = new StripeLock();
        Task first = stripe.EnterAsync(CancellationToken.None).AsTask();
        first.IsCompletedSuccessfully.Should().BeTrue();

        Task second = stripe.EnterAsync(CancellationToken.None).AsTask();
        second.IsCompleted.Should().BeFalse("the lock is held");

        stripe.Exit();
        await second.WaitAsync(SafetyTimeout);
        stripe.EnterAsync(CancellationToken.None).AsTask().IsCompleted.Should().BeFalse("the hand-off kept the lock held for the waiter");
    }

    [Fact]
    public async Task Waiters_AreGrantedInArrivalOrder()
    {
        var stripe = new StripeLock();
        await stripe.EnterAsync(CancellationToken.None);
        var order = new List<int>();
        Task[] waiters = [.. Enumerable.Range(0, 5).Select(async i =>
        {
            await stripe.EnterAsync(CancellationToken.None);
            lock (order)
            {
                order.Add(i);
            }

            stripe.Exit();
        })];

        stripe.Exit();
        await Task.WhenAll(waiters).WaitAsync(SafetyTimeout);
        order.Should().Equal(0, 1, 2, 3, 4);
    }

    [Fact]
    public async Task CancelledWaiter_ThrowsAndLeavesNoStalePermit()
    {
        var stripe = new StripeLock();
        await stripe.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        Task cancelled = stripe.EnterAsync(cancel.Token).AsTask();
        Task next = stripe.EnterAsync(CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await FluentActions.Awaiting(() => cancelled.WaitAsync(SafetyTimeout)).Should().ThrowAsync<OperationCanceledException>();

        stripe.Exit(); // skips the cancelled waiter, hands over to the next one
        await next.WaitAsync(SafetyTimeout);
        stripe.Exit();

        // Free again, exactly once: one enter succeeds at once, a second waits.
        stripe.EnterAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully.Should().BeTrue();
        stripe.EnterAsync(CancellationToken.None).AsTask().IsCompleted.Should().BeFalse();
    }

    [Fact]
    public void AlreadyCancelledToken_ThrowsWithoutTakingTheLock()
    {
        var stripe = new StripeLock();
        Action enter = () => _ = stripe.EnterAsync(new CancellationToken(canceled: true)).AsTask();
        enter.Should().Throw<OperationCanceledException>();
        stripe.EnterAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully.Should().BeTrue();
    }

    [Fact]
    public async Task TightEnterExitOnManyThreads_GuardsAPlainCounterExactly()
    {
        // No yields: the one-operation take and release race with spinners and queued waiters on every pass.
        var stripe = new StripeLock();
        long counter = 0; // incremented without atomics: only the lock keeps it exact
        const int Threads = 4, Passes = 50_000;
        Task[] workers = [.. Enumerable.Range(0, Threads).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < Passes; i++)
            {
                await stripe.EnterAsync(CancellationToken.None);
                counter++;
                stripe.Exit();
            }
        }))];

        await Task.WhenAll(workers).WaitAsync(SafetyTimeout);
        counter.Should().Be(Threads * Passes);
        stripe.EnterAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully.Should().BeTrue("every holder released it");
    }

    [Fact]
    public async Task ManyConcurrentHolders_NeverOverlap()
    {
        var stripe = new StripeLock();
        int inside = 0;
        int overlaps = 0;
        long total = 0;
        using var cancelSome = new CancellationTokenSource();
        Task[] workers = [.. Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                CancellationToken token = (i % 7 == 0) ? cancelSome.Token : CancellationToken.None;
                try
                {
                    await stripe.EnterAsync(token);
                }
                catch (OperationCanceledException)
                {
                    continue;
                }

                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }

                total++;
                if (i % 50 == 0)
                {
                    await Task.Yield();
                }

                Interlocked.Decrement(ref inside);
                stripe.Exit();
                if (w == 0 && i == 1_000)
                {
                    await cancelSome.CancelAsync();
                }
            }
        }))];

        await Task.WhenAll(workers).WaitAsync(SafetyTimeout);
        overlaps.Should().Be(0);
        total.Should().BeGreaterThan(8 * 2_000 * 6 / 7 - 1);
        stripe.EnterAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully.Should().BeTrue("every holder released it");
    }
}
