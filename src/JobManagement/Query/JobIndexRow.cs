namespace JobManagement;

/// <summary>One job in <see cref="JobIndex"/>: fixed facts from its <c>job.created</c> entry, and what its last state said. Guarded by the index's lock.</summary>
internal sealed class JobIndexRow(JobId jobId, JobType jobType, long createdPosition, DateTimeOffset createdAt, BatchId? batchId, JobId? parentJobId, bool runsHandler)
{
    public JobId JobId { get; } = jobId;

    public JobType JobType { get; } = jobType;

    /// <summary>The position of the job's <c>job.created</c> entry: its place in the list, and the cursor.</summary>
    public long CreatedPosition { get; } = createdPosition;

    public DateTimeOffset CreatedAt { get; private set; } = createdAt;

    public BatchId? BatchId { get; } = batchId;

    public JobId? ParentJobId { get; } = parentJobId;

    public bool RunsHandler { get; } = runsHandler;

    public JobStatus Status { get; private set; } = JobStatus.Created;

    public DateTimeOffset? StartedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public DateTimeOffset? RunAt { get; private set; }

    public int Attempts { get; private set; }

    public long Version { get; private set; }

    public bool IsTerminal => Status.IsTerminal();

    /// <summary>Since when the job has waited for its first attempt, or null when it is not waiting for one.</summary>
    public DateTimeOffset? WaitingSince
    {
        get
        {
            if (!RunsHandler || Status != JobStatus.Running || Attempts > 0)
            {
                return null;
            }

            DateTimeOffset since = StartedAt ?? CreatedAt;
            return RunAt is { } runAt && runAt > since ? runAt : since;
        }
    }

    public void Apply(JobState state)
    {
        Status = state.Status;
        CreatedAt = state.CreatedAt;
        StartedAt = state.StartedAt;
        CompletedAt = state.CompletedAt;
        RunAt = state.RunAt;
        Attempts = state.Attempts.Length;
        Version = state.Version;
    }

    public JobSummary ToSummary() =>
        new(JobId, JobType, Status, BatchId, ParentJobId, CreatedAt, StartedAt, CompletedAt, RunAt, Attempts, WaitingSince, Version);
}
