namespace JobManagement;

/// <summary>
/// One job as <see cref="JobIndex"/> lists it: the few fields needed to filter, sort and show a
/// list, copied from the job's <c>job.created</c> entry and its <see cref="JobState"/>. For
/// everything else, ask <see cref="JobEngine.GetStateAsync"/>.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="JobType">Its type.</param>
/// <param name="Status">Its status when the index last refreshed it.</param>
/// <param name="BatchId">The batch it was submitted in, if any.</param>
/// <param name="ParentJobId">Its parent, if it is a child job.</param>
/// <param name="CreatedAt">When it was created (recorded).</param>
/// <param name="StartedAt">When it was started, if it was.</param>
/// <param name="CompletedAt">When it became terminal, if it did.</param>
/// <param name="RunAt">The earliest time its handler may run, when its start was delayed.</param>
/// <param name="Attempts">How many attempts of its handler have started.</param>
/// <param name="WaitingSince">
/// For a running job whose handler has not had a first attempt yet: since when it has been due
/// (its start, or its <paramref name="RunAt"/> if later). Null otherwise. The worker's backlog.
/// </param>
/// <param name="Version">The stream version the summary reflects (a terminal job's later, record-only entries are not counted).</param>
public sealed record JobSummary(
    JobId JobId,
    JobType JobType,
    JobStatus Status,
    BatchId? BatchId,
    JobId? ParentJobId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? RunAt,
    int Attempts,
    DateTimeOffset? WaitingSince,
    long Version);
