namespace JobManagement;

/// <summary>A replay named a job that is not dead-lettered (only a job whose handler's retries ran out can be replayed).</summary>
public sealed class JobNotReplayableException : JobManagementException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="jobId">The job.</param>
    /// <param name="status">Its status.</param>
    public JobNotReplayableException(JobId jobId, JobStatus status)
        : base($"Job '{jobId}' is {status} and not dead-lettered; only a dead-lettered job can be replayed.")
    {
        JobId = jobId;
        Status = status;
    }

    /// <summary>Gets the job.</summary>
    public JobId JobId { get; }

    /// <summary>Gets the job's status.</summary>
    public JobStatus Status { get; }
}
