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

    /// <summary>A worker claimed the job and started attempt <c>job.attempt</c> (by <c>job.worker</c>, leased until <c>job.lease-until</c>).</summary>
    public static EventTypeId AttemptStarted { get; } = EventTypeId.Parse("job.attempt.started");

    /// <summary>The running attempt's lease was renewed until <c>job.lease-until</c>.</summary>
    public static EventTypeId AttemptLeaseRenewed { get; } = EventTypeId.Parse("job.attempt.lease-renewed");

    /// <summary>The running attempt's handler succeeded; the payload is its result, if any.</summary>
    public static EventTypeId AttemptSucceeded { get; } = EventTypeId.Parse("job.attempt.succeeded");

    /// <summary>The running attempt's handler failed; the payload is the <see cref="ExecutionFailure"/>. With <c>job.retry-at</c> another attempt follows; without it the job fails and is dead-lettered.</summary>
    public static EventTypeId AttemptFailed { get; } = EventTypeId.Parse("job.attempt.failed");

    /// <summary>The running attempt was interrupted (a graceful shutdown, or a lease that expired); the job may run again at once.</summary>
    public static EventTypeId AttemptInterrupted { get; } = EventTypeId.Parse("job.attempt.interrupted");

    /// <summary>The running attempt reported progress: <c>job.progress</c> (a fraction from 0 to 1) and an optional message in <c>job.reason</c>.</summary>
    public static EventTypeId Progress { get; } = EventTypeId.Parse("job.progress");

    /// <summary>
    /// A batch was submitted: the only entry of a batch's stream (<c>$batch:{id}</c>), carrying <c>job.batch</c> and,
    /// as its payload, every request of the batch. It is the batch's commit point: its jobs are created from it.
    /// </summary>
    public static EventTypeId BatchSubmitted { get; } = EventTypeId.Parse("job.batch.submitted");

    /// <summary>
    /// Gets <c>job.dedupe.claimed</c>: in a dedupe key's stream, which job the key names from now on (the request that
    /// created it is kept, so any node can create the job if its creator died first). Appended at the stream's exact
    /// version: of two nodes claiming one key at once, one wins and the other returns the winner's job.
    /// </summary>
    public static EventTypeId DedupeClaimed { get; } = EventTypeId.Parse("job.dedupe.claimed");

    /// <summary>In a parent's stream: a child job (<c>job.child</c>) was created. Its id is derived from the child's id.</summary>
    public static EventTypeId ChildCreated { get; } = EventTypeId.Parse("job.child.created");

    /// <summary>In a parent's stream: a child job (<c>job.child</c>) became terminal with <c>job.child-status</c>. Its id is derived from the child's id.</summary>
    public static EventTypeId ChildCompleted { get; } = EventTypeId.Parse("job.child.completed");

    /// <summary>A worker started run <c>job.attempt</c> of a compensating job's compensation handler (by <c>job.worker</c>, leased until <c>job.lease-until</c>).</summary>
    public static EventTypeId CompensationStarted { get; } = EventTypeId.Parse("job.compensation.started");

    /// <summary>The running compensation's lease was renewed until <c>job.lease-until</c>.</summary>
    public static EventTypeId CompensationLeaseRenewed { get; } = EventTypeId.Parse("job.compensation.lease-renewed");
}
