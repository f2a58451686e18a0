namespace JobManagement;

/// <summary>
/// What the worker needs to know about a job to schedule it, taken from a <see cref="JobState"/> or
/// straight from the projector's open fold (so a state change costs the worker no materialised state).
/// </summary>
internal readonly record struct JobRunFacts(
    JobId JobId,
    JobType JobType,
    JobStatus Status,
    int Priority,
    DateTimeOffset CreatedAt,
    long Version,
    bool HandlerDone,
    AttemptFacts? LastAttempt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? RunAt,
    CompensationState? Compensation,
    DateTimeOffset LastTransitionAt)
{
    public static JobRunFacts Of(JobState state) => new(
        state.JobId,
        state.JobType,
        state.Status,
        state.Priority,
        state.CreatedAt,
        state.Version,
        state.Result is not null || state.Attempts.Any(static a => a.Outcome == AttemptOutcome.Succeeded),
        state.Attempts.Length > 0 ? AttemptFacts.Of(state.Attempts[^1]) : null,
        state.NextAttemptAt,
        state.StartedAt,
        state.RunAt,
        state.Compensation,
        state.Transitions[^1].At);

    /// <summary>Whether the job still has a running attempt or waits for a retry.</summary>
    public bool HasLiveAttempt =>
        Status == JobStatus.Running && (LastAttempt is { Outcome: AttemptOutcome.Running } || NextAttemptAt is not null);
}
