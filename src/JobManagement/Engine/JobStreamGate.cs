namespace JobManagement;

/// <summary>
/// Serialises work on one job's stream inside this process, so concurrent calls for the same job
/// neither lose an update nor race to append. Striped: a fixed array of locks, so memory
/// does not grow with the number of jobs (two jobs may share a stripe; that only serialises them).
/// Across processes the journal's expected-version check is the arbiter. The engine also keeps a
/// second gate keyed by creation request id, taken before a job's own (never the other way round).
/// </summary>
internal sealed class JobStreamGate
{
    private readonly StripeLock[] _stripes;

    public JobStreamGate(int stripes = 1024)
    {
        _stripes = new StripeLock[stripes];
        for (int i = 0; i < stripes; i++)
        {
            _stripes[i] = new StripeLock();
        }
    }

    public ValueTask<Releaser> EnterAsync(JobId jobId, CancellationToken cancellationToken) => EnterAsync(jobId.Value, cancellationToken);

    public ValueTask<Releaser> EnterAsync(string key, CancellationToken cancellationToken)
    {
        StripeLock stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length)];
        ValueTask entered = stripe.EnterAsync(cancellationToken);
        return entered.IsCompletedSuccessfully ? new(new Releaser(stripe)) : WaitAsync(entered, stripe);
    }

    private static async ValueTask<Releaser> WaitAsync(ValueTask entered, StripeLock stripe)
    {
        await entered.ConfigureAwait(false);
        return new Releaser(stripe);
    }

    internal readonly struct Releaser(StripeLock stripe) : IDisposable
    {
        public void Dispose() => stripe.Exit();
    }
}
