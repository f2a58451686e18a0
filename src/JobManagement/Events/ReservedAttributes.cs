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
}
