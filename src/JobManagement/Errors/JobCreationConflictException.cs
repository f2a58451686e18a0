namespace JobManagement;

/// <summary>
/// An append carried a <c>job.created</c> entry whose event id (the creating request's id) is already the id of
/// an entry in another stream: either that request already created another job (one request creates at most one
/// job, across every node sharing the journal), or the id belongs to some other entry (a domain event, another
/// execution fact) and cannot name a creation. The whole append was refused; nothing was appended. The engine
/// answers the first case with the existing job and the second with <see cref="InvalidJobRequestException"/>.
/// </summary>
public sealed class JobCreationConflictException : JobManagementException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="eventId">The event id of the refused <c>job.created</c> entry.</param>
    /// <param name="existingJobId">The stream of the entry that already carries <paramref name="eventId"/>.</param>
    /// <param name="existingEventType">That entry's type: <c>job.created</c> when the id already created a job.</param>
    /// <param name="jobId">The stream the refused append was for.</param>
    public JobCreationConflictException(EventId eventId, JobId existingJobId, EventTypeId existingEventType, JobId jobId)
        : base(Describe(eventId, existingJobId, existingEventType, jobId))
    {
        EventId = eventId;
        ExistingJobId = existingJobId;
        ExistingEventType = existingEventType;
        JobId = jobId;
    }

    /// <summary>Gets the event id of the refused <c>job.created</c> entry: the creating request's id.</summary>
    public EventId EventId { get; }

    /// <summary>Gets the stream of the entry that already carries <see cref="EventId"/>: the job that request created when <see cref="IsAlreadyCreated"/>.</summary>
    public JobId ExistingJobId { get; }

    /// <summary>Gets the type of the entry that already carries <see cref="EventId"/> (the oldest such entry in another stream).</summary>
    public EventTypeId ExistingEventType { get; }

    /// <summary>Gets a value indicating whether the existing entry is a <c>job.created</c>: the request already created <see cref="ExistingJobId"/>.</summary>
    public bool IsAlreadyCreated => ExistingEventType == ExecutionEventTypes.Created;

    /// <summary>Gets the stream the refused append was for (it was not created).</summary>
    public JobId JobId { get; }

    private static string Describe(EventId eventId, JobId existingJobId, EventTypeId existingEventType, JobId jobId) =>
        existingEventType == ExecutionEventTypes.Created
            ? $"Event '{eventId}' already created job '{existingJobId}'; its job.created entry for stream '{jobId}' was refused and nothing was appended."
            : $"Event '{eventId}' is already the id of a {existingEventType} entry of stream '{existingJobId}'; its job.created entry for stream '{jobId}' was refused and nothing was appended.";
}
