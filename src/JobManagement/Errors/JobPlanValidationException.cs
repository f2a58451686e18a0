using System.Collections.Immutable;

namespace JobManagement;

/// <summary>A plan cannot be registered. Lists every problem found, not just the first.</summary>
public sealed class JobPlanValidationException : JobManagementException
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="jobType">The plan's job type.</param>
    /// <param name="problems">Every problem found.</param>
    public JobPlanValidationException(JobType jobType, IEnumerable<string> problems)
        : this(jobType, [.. problems])
    {
    }

    private JobPlanValidationException(JobType jobType, ImmutableArray<string> problems)
        : base($"The plan for job type '{jobType}' is invalid: {string.Join("; ", problems)}.")
    {
        JobType = jobType;
        Problems = problems;
    }

    /// <summary>Gets the plan's job type.</summary>
    public JobType JobType { get; }

    /// <summary>Gets every problem found, each naming the part of the plan at fault.</summary>
    public ImmutableArray<string> Problems { get; }
}
