namespace JobManagement;

/// <summary>
/// A caller-supplied job id is already taken by a job created by a different request.
/// (Retrying the same request, with the same request event id, is not an error: it returns the job.)
/// </summary>
public sealed class JobAlreadyExistsException : JobManagementException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="jobId">The job id that is taken.</param>
    /// <param name="existingRequestId">The request event id that created the existing job.</param>
    public JobAlreadyExistsException(JobId jobId, EventId existingRequestId)
        : base($"Job '{jobId}' already exists; it was created by request '{existingRequestId}'.")
    {
        JobId = jobId;
        ExistingRequestId = existingRequestId;
    }

    /// <summary>Gets the job id that is taken.</summary>
    public JobId JobId { get; }

    /// <summary>Gets the request event id that created the existing job.</summary>
    public EventId ExistingRequestId { get; }
}
