namespace JobManagement;

/// <summary>The result of creating a job.</summary>
/// <remarks>
/// A new job's <see cref="State"/> is made when first read, by folding the entries its creation appended (the same
/// fold the engine applied, so the same state): most callers of a busy queue only want the id, and making the state
/// of every job created was about a tenth of a trivial job's whole cost.
/// </remarks>
public sealed record JobCreationResult
{
    private readonly CreatedFold? _fold;
    private JobState? _state;

    /// <summary>Initializes a result with the job's state.</summary>
    /// <param name="jobId">The job's id.</param>
    /// <param name="isDuplicate">Whether the request id had already created this job (nothing was appended).</param>
    /// <param name="state">The job's state.</param>
    /// <param name="isDeduplicated">Whether an existing job with the request's dedupe key was returned (nothing was appended).</param>
    public JobCreationResult(JobId jobId, bool isDuplicate, JobState state, bool isDeduplicated = false)
    {
        ArgumentNullException.ThrowIfNull(state);
        JobId = jobId;
        IsDuplicate = isDuplicate;
        IsDeduplicated = isDeduplicated;
        _state = state;
    }

    /// <summary>Initializes a new job's result whose state is folded from its first entries when first read.</summary>
    internal JobCreationResult(JobId jobId, JobPlan plan, AppendResult created, JobId? parentJobId)
    {
        JobId = jobId;
        _fold = new CreatedFold(plan, created, parentJobId);
    }

    /// <summary>Gets the job's id.</summary>
    public JobId JobId { get; init; }

    /// <summary>Gets a value indicating whether the request id had already created this job (nothing was appended).</summary>
    public bool IsDuplicate { get; init; }

    /// <summary>Gets the job's state, as the call left it.</summary>
    public JobState State
    {
        get => _state ??= _fold!.Build();
        init => _state = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// Gets a value indicating whether an existing job with the request's <see cref="CreateJobRequest.DedupeKey"/> was
    /// returned instead of creating one (nothing was appended). Distinct from <see cref="IsDuplicate"/>, which means the
    /// same request id.
    /// </summary>
    public bool IsDeduplicated { get; init; }

    /// <summary>Gets the job's type without making its state.</summary>
    internal JobType JobType => _state?.JobType ?? _fold!.Plan.JobType;

    /// <summary>Gets the job's parent without making its state.</summary>
    internal JobId? ParentJobId => _state is { } state ? state.ParentJobId : _fold!.ParentJobId;

    /// <summary>Deconstructs the result into its id, duplicate flag, state and dedupe flag.</summary>
    /// <param name="jobId">The job's id.</param>
    /// <param name="isDuplicate">Whether the request id had already created this job.</param>
    /// <param name="state">The job's state.</param>
    /// <param name="isDeduplicated">Whether an existing job with the request's dedupe key was returned.</param>
    public void Deconstruct(out JobId jobId, out bool isDuplicate, out JobState state, out bool isDeduplicated)
    {
        jobId = JobId;
        isDuplicate = IsDuplicate;
        state = State;
        isDeduplicated = IsDeduplicated;
    }

    /// <summary>Compares two results by id, flags and state (a state not made yet is made to compare it).</summary>
    /// <param name="other">The other result.</param>
    /// <returns>True when both describe the same outcome.</returns>
    public bool Equals(JobCreationResult? other) =>
        other is not null && JobId == other.JobId && IsDuplicate == other.IsDuplicate && IsDeduplicated == other.IsDeduplicated && State.Equals(other.State);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(JobId, IsDuplicate, IsDeduplicated, State);

    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("JobId = ").Append(JobId).Append(", IsDuplicate = ").Append(IsDuplicate)
            .Append(", State = ").Append(State).Append(", IsDeduplicated = ").Append(IsDeduplicated);
        return true;
    }

    private sealed record CreatedFold(JobPlan Plan, AppendResult Created, JobId? ParentJobId)
    {
        public JobState Build()
        {
            JobStateBuilder builder = JobStateBuilder.Create(Plan, Created[0].Entry);
            for (int i = 1; i < Created.Count; i++)
            {
                builder.Apply(Created[i].Entry);
            }

            return builder.ToState();
        }
    }
}

/// <summary>The result of a command on a job (start, abort, compensation outcome).</summary>
/// <param name="Status">What the command did: Applied, Duplicate, or RecordedOnly when the job was already terminal.</param>
/// <param name="State">The job's state afterwards.</param>
public sealed record JobCommandResult(IngestStatus Status, JobState State);
