namespace JobManagement;

/// <summary>Dedupe keys: creating a job returns the live job of the same type and key instead.</summary>
public sealed partial class JobEngine
{
    /// <summary>
    /// Returns the job of the request's type and dedupe key that is not terminal (or ended within
    /// <see cref="JobEngineOptions.DedupeTerminalWindow"/>), or creates one. Serialised per type and key in this
    /// process; across processes only a deterministic job id makes it exact (see <see cref="CreateJobRequest.DedupeKey"/>).
    /// </summary>
    private async ValueTask<JobCreationResult> CreateDedupedAsync(CreateJobRequest request, JobPlan plan, CancellationToken cancellationToken)
    {
        string key = request.DedupeKey!;
        using (await _dedupe.EnterAsync($"{plan.JobType.Value}\n{key}", cancellationToken).ConfigureAwait(false))
        {
            if (await FindDedupedAsync(plan.JobType, key, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                return new JobCreationResult(existing.JobId, isDuplicate: false, existing, isDeduplicated: true);
            }

            return await CreateNewJobAsync(request, plan, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The newest job of the type with the key that still dedupes (not terminal, or terminal within the window); null when none.</summary>
    /// <remarks>Reads every job that ever had the key (the journal's job index finds them): keys should name one unit of work.</remarks>
    private async ValueTask<JobState?> FindDedupedAsync(JobType jobType, string key, CancellationToken cancellationToken)
    {
        IReadOnlyList<JobId> jobs = await _journal.FindJobsAsync(new JobLookup(jobType, ReservedAttributes.DedupeKey, key), cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = _time.GetUtcNow();
        for (int i = jobs.Count - 1; i >= 0; i--)
        {
            JobState? state = await _streams.GetCurrentAsync(jobs[i], cancellationToken).ConfigureAwait(false);
            if (state is not null && (!state.IsTerminal || (state.CompletedAt is { } completedAt && now - completedAt < _options.DedupeTerminalWindow)))
            {
                return state;
            }
        }

        return null;
    }

    /// <summary>Whether a stream's first entry created a job of this type with this dedupe key.</summary>
    private static bool IsSameDedupe(JobEventLogEntry created, JobType jobType, string? dedupeKey) =>
        dedupeKey is not null
        && JobCreatedFact.TryRead(created, out JobType createdType, out _)
        && createdType == jobType
        && JobCreatedFact.ReadText(created, ReservedAttributes.DedupeKey) == dedupeKey;
}
