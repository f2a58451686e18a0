namespace JobManagement;

/// <summary>Attribute keys the engine writes on execution facts; all begin with the reserved <c>job.</c> prefix.</summary>
public static class ReservedAttributes
{
    /// <summary>On <c>job.created</c>: the job's <see cref="JobType"/>.</summary>
    public const string JobType = "job.type";

    /// <summary>On <c>job.abort-requested</c> and compensation facts: the reason or detail given.</summary>
    public const string Reason = "job.reason";

    /// <summary>On an event recorded in the <see cref="JobId.Unrouted"/> stream because it was addressed
    /// to a job that did not exist yet: that job's id. The job adopts it when it is created.</summary>
    public const string TargetJob = "job.target";

    /// <summary>On attempt facts: the attempt number, from 1.</summary>
    public const string Attempt = "job.attempt";

    /// <summary>On <c>job.attempt.started</c>: the worker that claimed the job.</summary>
    public const string Worker = "job.worker";

    /// <summary>On <c>job.attempt.started</c> and lease renewals: until when the worker holds the job (ISO 8601, UTC).</summary>
    public const string LeaseUntil = "job.lease-until";

    /// <summary>On <c>job.attempt.failed</c>: when the next attempt may start (ISO 8601, UTC); absent when no retry is left.</summary>
    public const string RetryAt = "job.retry-at";

    /// <summary>On <c>job.progress</c>: the fraction done, from 0 to 1 (invariant culture).</summary>
    public const string ProgressFraction = "job.progress";

    /// <summary>On <c>job.created</c>: the job's priority (an integer, invariant culture); absent means 0. Higher runs first.</summary>
    public const string Priority = "job.priority";

    /// <summary>On <c>job.created</c>: the earliest time the job's handler may run (ISO 8601, UTC); absent means at once.</summary>
    public const string RunAt = "job.run-at";

    /// <summary>On <c>job.created</c>: the id of the dead-lettered job this job replays.</summary>
    public const string ReplayOf = "job.replay-of";

    /// <summary>On <c>job.created</c>: the job's dedupe key (see <see cref="CreateJobRequest.DedupeKey"/>).</summary>
    public const string DedupeKey = "job.dedupe-key";

    /// <summary>On <c>job.created</c> of a job submitted in a batch, and on <c>job.batch.submitted</c>: the <see cref="JobManagement.BatchId"/>.</summary>
    public const string Batch = "job.batch";

    /// <summary>On <c>job.created</c> of a child job: its parent's id (see <see cref="CreateJobRequest.ParentJobId"/>).</summary>
    public const string Parent = "job.parent";

    /// <summary>On <c>job.child.created</c> and <c>job.child.completed</c> (in the parent's stream): the child's id.</summary>
    public const string Child = "job.child";

    /// <summary>On <c>job.child.completed</c>: the child's terminal <see cref="JobStatus"/> (<c>Succeeded</c>, <c>Failed</c> or <c>Aborted</c>).</summary>
    public const string ChildStatus = "job.child-status";
}
