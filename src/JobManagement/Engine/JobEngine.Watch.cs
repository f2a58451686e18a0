using System.Runtime.CompilerServices;

namespace JobManagement;

/// <summary>Watching a job: its state changes as they happen, and waiting for its end.</summary>
public sealed partial class JobEngine
{
    /// <summary>
    /// Streams a job's states: the current one first, then each change, ending after the job is terminal.
    /// Changes made in this process arrive at once; changes made by other processes sharing the journal
    /// are seen within <see cref="JobEngineOptions.WatchPollInterval"/>. A slow reader skips intermediate
    /// states and gets the latest (versions only grow).
    /// </summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Stops watching.</param>
    /// <returns>The states, in version order.</returns>
    /// <exception cref="JobNotFoundException">The job does not exist.</exception>
    public async IAsyncEnumerable<JobState> WatchAsync(JobId jobId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ThrowIfNotAJob(jobId);

        // Subscribe before reading, so a change between the two is not lost.
        using JobChangeFeed.Subscription subscription = _streams.Changes.Watch(jobId);
        JobState current = await GetStateAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(jobId);
        yield return current;
        while (!current.IsTerminal)
        {
            JobState? next = await NextChangeAsync(subscription, jobId, cancellationToken).ConfigureAwait(false);
            if (next is not null && next.Version > current.Version)
            {
                current = next;
                yield return current;
            }
        }
    }

    /// <summary>Waits until a job is terminal and returns its final state.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="cancellationToken">Stops waiting (use a timeout token to bound the wait).</param>
    /// <returns>The terminal state.</returns>
    /// <exception cref="JobNotFoundException">The job does not exist.</exception>
    public async ValueTask<JobState> WaitAsync(JobId jobId, CancellationToken cancellationToken = default)
    {
        JobState? last = null;
        await foreach (JobState state in WatchAsync(jobId, cancellationToken).ConfigureAwait(false))
        {
            last = state;
        }

        return last!;
    }

    /// <summary>The next state published in this process, or the journal's state after a poll interval passes quietly.</summary>
    private async ValueTask<JobState?> NextChangeAsync(JobChangeFeed.Subscription subscription, JobId jobId, CancellationToken cancellationToken)
    {
        if (subscription.Reader.TryRead(out JobState? published))
        {
            return published;
        }

        using var poll = new CancellationTokenSource(_options.WatchPollInterval, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(poll.Token, cancellationToken);
        try
        {
            return await subscription.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Quiet for a whole interval: another process may have moved the job on.
            return await GetStateAsync(jobId, cancellationToken).ConfigureAwait(false);
        }
    }
}
