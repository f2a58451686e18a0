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
    public static DateTimeOffset? RunnableAt(JobState state, JobPlan plan, bool compensates = false)
    {
        if (compensates && state is { Status: JobStatus.Compensating, Compensation: { Outcome: CompensationOutcome.Pending } compensation })
        {
            // Compensate at once; a run that was started is taken over when its lease expires.
            return compensation.Runs > 0 ? compensation.LeaseUntil ?? state.Transitions[^1].At : state.Transitions[^1].At;
        }

        if (!plan.RunsHandler || state.Status != JobStatus.Running || state.Result is not null || HasSucceeded(state))
        {
            return null;
        }

        if (state.Attempts.Length > 0 && state.Attempts[^1] is { Outcome: AttemptOutcome.Running } running)
        {
            return running.LeaseUntil ?? running.StartedAt;
        }

        DateTimeOffset due = state.NextAttemptAt ?? state.StartedAt ?? state.CreatedAt;
        return state.RunAt is { } runAt && runAt > due ? runAt : due;
    }

    private static bool HasSucceeded(JobState state)
    {
        foreach (JobAttempt attempt in state.Attempts)
        {
            if (attempt.Outcome == AttemptOutcome.Succeeded)
            {
                return true;
            }
        }

        return false;
    }
}
