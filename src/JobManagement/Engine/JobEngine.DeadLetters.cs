namespace JobManagement;

/// <summary>Dead letters: jobs whose handler failed with no retry left, and replaying them as new jobs.</summary>
public sealed partial class JobEngine
{
    /// <summary>
    /// Lists dead-lettered jobs (Failed because their handler's retries ran out or the failure was not
    /// retryable), most recent first. Reads every job of the job types with handlers, so it costs one
    /// state per job: fine for operations, not for a hot path.
    /// </summary>
    /// <param name="jobType">Only this job type; null for every type with a handler.</param>
    /// <param name="maxCount">The most to return.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The dead-lettered jobs' states.</returns>
    /// <exception cref="JobTypeNotRegisteredException">The job type has no plan.</exception>
    public async ValueTask<IReadOnlyList<JobState>> ListDeadLettersAsync(JobType? jobType = null, int maxCount = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        IEnumerable<JobPlan> plans = jobType is { } type ? [_plans.Get(type)] : _plans.Plans.Where(static p => p.RunsHandler);
        List<JobState> found = [];
        foreach (JobPlan plan in plans)
        {
            foreach (JobId jobId in await _journal.FindJobsAsync(new JobLookup(plan.JobType), cancellationToken).ConfigureAwait(false))
            {
                if (await GetStateAsync(jobId, cancellationToken).ConfigureAwait(false) is { IsDeadLettered: true, Status: JobStatus.Failed } state)
                {
                    found.Add(state);
                }
            }
        }

        return [.. found.OrderByDescending(static s => s.CompletedAt).ThenBy(static s => s.JobId.Value, StringComparer.Ordinal).Take(maxCount)];
    }

    /// <summary>
    /// Replays a dead-lettered job: creates and starts a <em>new</em> job of the same type, correlation,
    /// input and priority, linked to the original by <see cref="JobState.ReplayOf"/>. The original stays
    /// Failed and unchanged. Idempotent on <paramref name="requestId"/>.
    /// </summary>
    /// <param name="jobId">The dead-lettered job.</param>
    /// <param name="requestId">The replay request's idempotency key; a new id when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new job.</returns>
    /// <exception cref="JobNotFoundException">The job does not exist.</exception>
    /// <exception cref="JobNotReplayableException">The job is not dead-lettered.</exception>
    public async ValueTask<JobCreationResult> ReplayAsync(JobId jobId, EventId? requestId = null, CancellationToken cancellationToken = default)
    {
        ThrowIfNotAJob(jobId);
        JobState original = await GetStateAsync(jobId, cancellationToken).ConfigureAwait(false) ?? throw new JobNotFoundException(jobId);
        if (original is not { IsDeadLettered: true, Status: JobStatus.Failed })
        {
            throw new JobNotReplayableException(jobId, original.Status);
        }

        return await CreateJobAsync(
            new CreateJobRequest
            {
                JobType = original.JobType,
                RequestId = requestId ?? _ids.NewEventId(),
                Correlation = original.Correlation,
                Input = original.Input,
                Priority = original.Priority,
                ReplayOf = jobId,
            },
            cancellationToken).ConfigureAwait(false);
    }
}
