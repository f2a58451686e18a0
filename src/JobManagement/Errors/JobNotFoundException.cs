namespace JobManagement;

/// <summary>An operation named a job that does not exist.</summary>
public sealed class JobNotFoundException : JobManagementException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="jobId">The job that was not found.</param>
    public JobNotFoundException(JobId jobId)
        : base($"Job '{jobId}' does not exist.") => JobId = jobId;

    /// <summary>Gets the job that was not found.</summary>
    public JobId JobId { get; }
}
