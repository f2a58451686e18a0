namespace JobManagement;

/// <summary>When a job's handler may (next) run, as its state tells it. Pure: the same state gives the same answer on every node.</summary>
internal static class JobRunnability
{
    /// <summary>
    /// The earliest time a worker may claim the job: its (delayed) start, the retry time after a failed
    /// attempt, or the expiry of a running attempt's lease (a takeover); null when there is nothing to run
    /// (no handler, not running, or the handler has already succeeded). A compensating job whose compensation
    /// has a handler (<paramref name="compensates"/>) is runnable until its outcome is recorded.
    /// </summary>
    public static DateTimeOffset? RunnableAt(JobState state, JobPlan plan, bool compensates = false) =>
        RunnableAt(JobRunFacts.Of(state), plan, compensates);

    /// <inheritdoc cref="RunnableAt(JobState, JobPlan, bool)"/>
    public static DateTimeOffset? RunnableAt(in JobRunFacts job, JobPlan plan, bool compensates = false)
    {
        if (compensates && job is { Status: JobStatus.Compensating, Compensation: { Outcome: CompensationOutcome.Pending } compensation })
        {
            // Compensate at once; a run that was started is taken over when its lease expires.
            return compensation.Runs > 0 ? compensation.LeaseUntil ?? job.LastTransitionAt : job.LastTransitionAt;
        }

        if (!plan.RunsHandler || job.Status != JobStatus.Running || job.HandlerDone)
        {
            return null;
        }

        if (job.LastAttempt is { Outcome: AttemptOutcome.Running } running)
        {
            return running.LeaseUntil ?? running.StartedAt;
        }

        DateTimeOffset due = job.NextAttemptAt ?? job.StartedAt ?? job.CreatedAt;
        return job.RunAt is { } runAt && runAt > due ? runAt : due;
    }
}
