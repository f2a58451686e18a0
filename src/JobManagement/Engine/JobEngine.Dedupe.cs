namespace JobManagement;

/// <summary>
/// Dedupe keys: creating a job returns the live job of the same type and key instead. Which job a key names is decided
/// in the key's own stream (<c>$dedupe:{digest}</c>): a <c>job.dedupe.claimed</c> entry appended at the stream's exact
/// version, so of two nodes claiming one key at once, one wins and the other returns the winner's job.
/// </summary>
public sealed partial class JobEngine
{
    /// <summary>
    /// Returns the job of the request's type and dedupe key that is not terminal (or ended within
    /// <see cref="JobEngineOptions.DedupeTerminalWindow"/>), or claims the key and creates one. Exact across every node
    /// sharing the journal: the claim is the commit point, and a claim whose job does not exist yet (its node died
    /// between the two) is completed by whoever reads it next, under the claiming request's id.
    /// </summary>
    private async ValueTask<JobCreationResult> CreateDedupedAsync(CreateJobRequest request, JobPlan plan, CancellationToken cancellationToken)
    {
        string key = request.DedupeKey!;
        JobId stream = JobId.ForDedupe(plan.JobType, key);
        using (await _dedupe.EnterAsync(stream.Value, cancellationToken).ConfigureAwait(false))
        {
            for (int conflicts = 0; ; conflicts++)
            {
                (long version, JobEventLogEntry? latest) = await ReadLatestClaimAsync(stream, cancellationToken).ConfigureAwait(false);
                DedupeClaim? claimed = latest is null ? null : DedupeClaim.Read(latest);
                if (claimed is not null && claimed.RequestId == request.RequestId)
                {
                    // This request claimed the key before and died before its job was created: create it now.
                    return await CreateClaimedAsync(request with { JobId = claimed.JobId, RunAt = claimed.RunAt, RunAfter = null }, plan, cancellationToken).ConfigureAwait(false);
                }

                // Without a claim yet, the key may name a job created before keys had streams: the journal's index finds it.
                JobState? live = claimed is not null
                    ? await ClaimedJobAsync(claimed, plan, cancellationToken).ConfigureAwait(false)
                    : await FindDedupedAsync(plan.JobType, key, cancellationToken).ConfigureAwait(false);
                if (live is not null)
                {
                    return new JobCreationResult(live.JobId, isDuplicate: false, live, isDeduplicated: true);
                }

                DateTimeOffset now = _time.GetUtcNow();
                CreateJobRequest mine = request.WithRunAtResolved(now) with { JobId = request.JobId ?? _ids.NewJobId() };
                AppendResult appended;
                try
                {
                    appended = await _journal.AppendAsync(stream, ExpectedStreamVersion.Exactly(version), DedupeClaim.From(mine, mine.JobId!.Value).ToEvent(now), cancellationToken).ConfigureAwait(false);
                }
                catch (JobConcurrencyException) when (conflicts < _options.MaxConcurrencyRetries)
                {
                    continue; // another node claimed the key first: its job is the key's now
                }

                if (appended[0].IsDuplicate)
                {
                    // This request's claim is already in the stream (not the latest): create the job it named.
                    DedupeClaim earlier = DedupeClaim.Read(appended[0].Entry);
                    mine = request with { JobId = earlier.JobId, RunAt = earlier.RunAt, RunAfter = null };
                }

                return await CreateClaimedAsync(mine, plan, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Creates the job this request claimed the key for; another node may have created it on the request's behalf already.</summary>
    private async ValueTask<JobCreationResult> CreateClaimedAsync(CreateJobRequest claimed, JobPlan plan, CancellationToken cancellationToken)
    {
        JobCreationResult created = await CreateNewJobAsync(claimed, plan, cancellationToken).ConfigureAwait(false);

        // Created by a node that read the claim first: still this call's new job, not a retry of an earlier call.
        return created.IsDuplicate ? created with { IsDuplicate = false } : created;
    }

    /// <summary>The key's stream version and its latest claim (null when it has none): only the stream's last entry is read.</summary>
    private async ValueTask<(long Version, JobEventLogEntry? Latest)> ReadLatestClaimAsync(JobId stream, CancellationToken cancellationToken)
    {
        long version = await _journal.GetStreamVersionAsync(stream, cancellationToken).ConfigureAwait(false);
        JobEventLogEntry? latest = null;
        if (version > 0)
        {
            await foreach (JobEventLogEntry entry in _journal.ReadStreamAsync(stream, version, cancellationToken).ConfigureAwait(false))
            {
                latest = entry; // a claim appended since the version was read comes last
            }
        }

        return (latest?.Sequence ?? version, latest);
    }

    /// <summary>
    /// The job a claim names when it still dedupes; null when it does not (ended outside the window, or the claimed id
    /// turned out to belong to another job). A claimed job that does not exist yet is created from the claim.
    /// </summary>
    private async ValueTask<JobState?> ClaimedJobAsync(DedupeClaim claim, JobPlan plan, CancellationToken cancellationToken)
    {
        JobState? state = await _streams.GetCurrentAsync(claim.JobId, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            try
            {
                state = (await CreateNewJobAsync(claim.ToRequest(), plan, cancellationToken).ConfigureAwait(false)).State;
            }
            catch (Exception exception) when (exception is JobAlreadyExistsException or InvalidJobRequestException)
            {
                return null; // the claimed id, or the claiming request's id, was taken by something else: the claim is void
            }
        }

        return state.JobType == plan.JobType && state.DedupeKey == claim.DedupeKey && StillDedupes(state) ? state : null;
    }

    /// <summary>The newest job of the type with the key that still dedupes (not terminal, or terminal within the window); null when none.</summary>
    /// <remarks>Only for keys without a stream yet (jobs created before keys had one): reads every job that ever had the key.</remarks>
    private async ValueTask<JobState?> FindDedupedAsync(JobType jobType, string key, CancellationToken cancellationToken)
    {
        IReadOnlyList<JobId> jobs = await _journal.FindJobsAsync(new JobLookup(jobType, ReservedAttributes.DedupeKey, key), cancellationToken).ConfigureAwait(false);
        for (int i = jobs.Count - 1; i >= 0; i--)
        {
            JobState? state = await _streams.GetCurrentAsync(jobs[i], cancellationToken).ConfigureAwait(false);
            if (state is not null && StillDedupes(state))
            {
                return state;
            }
        }

        return null;
    }

    private bool StillDedupes(JobState state) =>
        !state.IsTerminal || (state.CompletedAt is { } completedAt && _time.GetUtcNow() - completedAt < _options.DedupeTerminalWindow);

    /// <summary>Whether a stream's first entry created a job of this type with this dedupe key.</summary>
    private static bool IsSameDedupe(JobEventLogEntry created, JobType jobType, string? dedupeKey) =>
        dedupeKey is not null
        && JobCreatedFact.TryRead(created, out JobType createdType, out _)
        && createdType == jobType
        && JobCreatedFact.ReadText(created, ReservedAttributes.DedupeKey) == dedupeKey;
}
