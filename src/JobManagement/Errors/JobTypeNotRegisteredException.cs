namespace JobManagement;

/// <summary>A job type has no registered plan (see <c>AddJobEngine(jobs =&gt; jobs.AddPlan(…))</c>).</summary>
public sealed class JobTypeNotRegisteredException : JobManagementException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="jobType">The job type without a plan.</param>
    public JobTypeNotRegisteredException(JobType jobType)
        : base($"No plan is registered for job type '{jobType}'.") => JobType = jobType;

    /// <summary>Gets the job type without a plan.</summary>
    public JobType JobType { get; }
}
