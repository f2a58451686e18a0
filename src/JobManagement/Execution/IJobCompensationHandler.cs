namespace JobManagement;

/// <summary>
/// Undoes what a failed or aborted job did: the compensation hook a plan names with
/// <see cref="JobPlanBuilder.CompensateWith"/>, registered with
/// <c>jobs.AddCompensation&lt;THandler, TInput&gt;("name")</c>. The worker runs it while the job is
/// Compensating; the job then ends in the status of its cause (Failed or Aborted) with the
/// compensation's outcome recorded. Orchestration beyond this hook is out of scope.
/// </summary>
/// <typeparam name="TInput">The job's input.</typeparam>
/// <remarks>At-least-once, like handlers: a run whose worker dies is run again after its lease expires.</remarks>
public interface IJobCompensationHandler<TInput>
{
    /// <summary>Compensates a job. Return normally when its effects are undone; throw when they cannot be (after the configured retries, the compensation is recorded as failed: recovery required).</summary>
    /// <param name="context">The job: id, input, why it is compensated.</param>
    /// <param name="cancellationToken">Cancelled on timeout, lost lease or host stop.</param>
    /// <returns>A task that completes when compensated.</returns>
    ValueTask CompensateAsync(JobCompensationContext<TInput> context, CancellationToken cancellationToken);
}

/// <summary>What a compensation handler knows: the job, its input, and why it is being compensated.</summary>
/// <typeparam name="TInput">The job's input type.</typeparam>
public sealed class JobCompensationContext<TInput>
{
    internal JobCompensationContext(JobState state, int run, TInput input, IServiceProvider services, CancellationToken cancellationToken)
    {
        JobId = state.JobId;
        JobType = state.JobType;
        Correlation = state.Correlation;
        Cause = state.Compensation!.Cause;
        Failure = state.Failure;
        AbortReason = state.AbortReason;
        Run = run;
        Input = input;
        Services = services;
        CancellationToken = cancellationToken;
    }

    /// <summary>Gets the job's id.</summary>
    public JobId JobId { get; }

    /// <summary>Gets the job's type.</summary>
    public JobType JobType { get; }

    /// <summary>Gets the job's correlation values.</summary>
    public EventAttributes Correlation { get; }

    /// <summary>Gets the status the job ends in once compensated: Failed or Aborted.</summary>
    public JobStatus Cause { get; }

    /// <summary>Gets why the job failed, when it failed.</summary>
    public JobFailure? Failure { get; }

    /// <summary>Gets why the job was aborted, when it was.</summary>
    public string? AbortReason { get; }

    /// <summary>Gets which run of the compensation this is, from 1 (a run taken over after a crash counts anew).</summary>
    public int Run { get; }

    /// <summary>Gets the job's input.</summary>
    public TInput Input { get; }

    /// <summary>Gets the run's DI scope.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Gets the run's cancellation token.</summary>
    public CancellationToken CancellationToken { get; }
}
