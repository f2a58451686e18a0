namespace JobManagement;

/// <summary>
/// An append carried a <c>job.created</c> entry whose event id (the creating request's id) already created
/// another job: one request creates at most one job, across every node sharing the journal. The whole
/// append was refused; nothing was appended. The engine answers such a request with the existing job.
/// </summary>
public sealed class JobCreationConflictException : JobManagementException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="eventId">The event id of the refused <c>job.created</c> entry.</param>
    /// <param name="existingJobId">The job whose <c>job.created</c> entry already carries <paramref name="eventId"/>.</param>
    /// <param name="jobId">The stream the refused append was for.</param>
    public JobCreationConflictException(EventId eventId, JobId existingJobId, JobId jobId)
        : base($"Event '{eventId}' already created job '{existingJobId}'; its job.created entry for stream '{jobId}' was refused and nothing was appended.")
    {
        EventId = eventId;
        ExistingJobId = existingJobId;
        JobId = jobId;
    }

    /// <summary>Gets the event id of the refused <c>job.created</c> entry: the creating request's id.</summary>
    public EventId EventId { get; }

    /// <summary>Gets the job that request already created.</summary>
    public JobId ExistingJobId { get; }

    /// <summary>Gets the stream the refused append was for (it was not created).</summary>
    public JobId JobId { get; }
}
