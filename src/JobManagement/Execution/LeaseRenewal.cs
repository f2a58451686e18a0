namespace JobManagement;

/// <summary>
/// The ticking of one attempt's lease renewals. Stopped by disposing its timer, which ends the wait
/// quietly: cancelling a token would throw (and capture a stack trace) once per attempt, a measurable
/// share of a trivial job's cost.
/// </summary>
internal sealed class LeaseRenewal(TimeSpan interval, TimeProvider time) : IAsyncDisposable
{
    private readonly PeriodicTimer _timer = new(interval, time);
    private Task _loop = Task.CompletedTask;
    private volatile bool _stopped;

    public bool IsStopped => _stopped;

    public void Start(Task loop) => _loop = loop;

    public ValueTask<bool> WaitForNextTickAsync() => _timer.WaitForNextTickAsync(CancellationToken.None);

    /// <summary>Stops ticking and waits for a renewal in flight to finish.</summary>
    public async ValueTask StopAsync()
    {
        _stopped = true;
        _timer.Dispose();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public ValueTask DisposeAsync() => StopAsync();
}
