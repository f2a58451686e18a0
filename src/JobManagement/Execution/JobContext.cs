namespace JobManagement;

/// <summary>
/// What a handler knows and can do during one attempt: the job's id, type, attempt number and
/// typed input; report progress; emit domain events; start child jobs.
/// </summary>
/// <typeparam name="TInput">The job's input type.</typeparam>
public sealed class JobContext<TInput>
{
    private readonly AttemptRun _run;

    internal JobContext(AttemptRun run, TInput input, IServiceProvider services, CancellationToken cancellationToken)
    {
        _run = run;
        Input = input;
        Services = services;
        CancellationToken = cancellationToken;
    }

    /// <summary>Gets the job's id.</summary>
    public JobId JobId => _run.JobId;

    /// <summary>Gets the job's type.</summary>
    public JobType JobType => _run.JobType;

    /// <summary>Gets the attempt's number, from 1.</summary>
    public int Attempt => _run.Attempt;

    /// <summary>Gets the job's input.</summary>
    public TInput Input { get; }

    /// <summary>Gets the job's correlation values.</summary>
    public EventAttributes Correlation => _run.Correlation;

    /// <summary>Gets the attempt's DI scope.</summary>
    public IServiceProvider Services { get; }

    /// <summary>Gets the attempt's cancellation token (the same one the handler is given).</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// Reports progress. Journalled at most once per <see cref="JobWorkerOptions.ProgressInterval"/> (the
    /// latest report wins, and is written before the attempt's outcome), so a chatty handler cannot flood
    /// the journal. Visible in <see cref="JobState.Progress"/> with an estimated completion time.
    /// </summary>
    /// <param name="fraction">How much is done, from 0 to 1.</param>
    /// <param name="message">An optional message, at most <see cref="JobEngineOptions.MaxReasonLength"/> characters (longer ones are cut).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the report was taken (and written, when it was due).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not between 0 and 1.</exception>
    public ValueTask ReportProgressAsync(double fraction, string? message = null, CancellationToken cancellationToken = default) =>
        _run.ReportProgressAsync(fraction, message, cancellationToken);

    /// <summary>
    /// Emits a domain event, ingested like any other (routed by its job id or by correlation). A handler
    /// may address it to its own job, to satisfy one of the plan's expectations. Use a deterministic event
    /// id (derived from the job id) so that a retried attempt does not emit it twice.
    /// </summary>
    /// <param name="incoming">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The ingest result.</returns>
    public ValueTask<IngestResult> EmitAsync(IncomingEvent incoming, CancellationToken cancellationToken = default) =>
        _run.Engine.IngestAsync(incoming, cancellationToken);

    /// <summary>
    /// Creates (and by default starts) another job. Use a deterministic <see cref="CreateJobRequest.RequestId"/>
    /// (derived from the job id) so that a retried attempt returns the same job instead of a second one.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created (or earlier created) job.</returns>
    public ValueTask<JobCreationResult> StartJobAsync(CreateJobRequest request, CancellationToken cancellationToken = default) =>
        _run.Engine.CreateJobAsync(request, cancellationToken);

    /// <summary>
    /// Creates (and by default starts) a child of this job: the child's <see cref="CreateJobRequest.ParentJobId"/>
    /// is this job, and this job's state lists it in <see cref="JobState.Children"/> (a plan built with
    /// <see cref="JobPlanBuilder.WaitForChildren"/> then waits for it). Use a deterministic request id, as for
    /// <see cref="StartJobAsync"/>.
    /// </summary>
    /// <param name="request">The request (its <see cref="CreateJobRequest.ParentJobId"/> is set to this job).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The created (or earlier created) child.</returns>
    public ValueTask<JobCreationResult> StartChildJobAsync(CreateJobRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _run.Engine.CreateJobAsync(request with { ParentJobId = JobId }, cancellationToken);
    }
}
