namespace JobManagement;

/// <summary>
/// The execution facts the engine writes, in the reserved <c>job.</c> namespace. Applications
/// cannot ingest events of these types; they appear in every job's history.
/// </summary>
public static class ExecutionEventTypes
{
    /// <summary>A job was created. Attributes: <c>job.type</c> plus the job's correlation values.</summary>
    public static EventTypeId Created { get; } = EventTypeId.Parse("job.created");

    /// <summary>A job was started ("kicked"): Created → Running.</summary>
    public static EventTypeId Started { get; } = EventTypeId.Parse("job.started");

    /// <summary>Abort was requested, with a reason in the <c>job.reason</c> attribute. Takes effect at once.</summary>
    public static EventTypeId AbortRequested { get; } = EventTypeId.Parse("job.abort-requested");

    /// <summary>The job's deadline passed before it finished; the projector treats it as a failure.</summary>
    public static EventTypeId DeadlineExpired { get; } = EventTypeId.Parse("job.deadline-expired");

    /// <summary>The compensation hook reported success: the job ends in the status of its cause.</summary>
    public static EventTypeId CompensationCompleted { get; } = EventTypeId.Parse("job.compensation.completed");

    /// <summary>The compensation hook reported failure: the job ends in the status of its cause, recovery required.</summary>
    public static EventTypeId CompensationFailed { get; } = EventTypeId.Parse("job.compensation.failed");
}
