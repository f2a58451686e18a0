namespace JobManagement;

/// <summary>
/// Serialises work on one job's stream inside this process, so concurrent calls for the same job
/// neither lose an update nor race to append. Striped: a fixed array of semaphores, so memory
/// does not grow with the number of jobs (two jobs may share a stripe; that only serialises them).
/// Across processes the journal's expected-version check is the arbiter.
/// </summary>
internal sealed class JobStreamGate : IDisposable
{
    private readonly SemaphoreSlim[] _stripes;

    public JobStreamGate(int stripes = 1024)
    {
        _stripes = new SemaphoreSlim[stripes];
        for (int i = 0; i < stripes; i++)
        {
            _stripes[i] = new SemaphoreSlim(1, 1);
        }
    }

    public ValueTask<Releaser> EnterAsync(JobId jobId, CancellationToken cancellationToken) =>
        EnterAsync(jobId.Value, cancellationToken);

    public async ValueTask<Releaser> EnterAsync(string key, CancellationToken cancellationToken)
    {
        SemaphoreSlim stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(stripe);
    }

    public void Dispose()
    {
        foreach (SemaphoreSlim stripe in _stripes)
        {
            stripe.Dispose();
        }
    }

    internal readonly struct Releaser(SemaphoreSlim stripe) : IDisposable
    {
        public void Dispose() => stripe.Release();
    }
}
