namespace JobManagement;

/// <summary>
/// Runs jobs of one type: the command a job carries out. Registered with
/// <c>jobs.AddHandler&lt;THandler, TInput&gt;("job-type")</c>; resolved from a new DI scope for every
/// attempt, so it may depend on scoped services such as a <c>DbContext</c>.
/// </summary>
/// <typeparam name="TInput">The job's input, deserialised from <see cref="CreateJobRequest.Input"/>.</typeparam>
/// <remarks>
/// Execution is at-least-once: an attempt whose worker dies is run again once its lease expires, so
/// make handlers idempotent (the job id and attempt number in the context help). Throw to fail the
/// attempt; whether it is retried is decided by the job type's retry options.
/// </remarks>
public interface IJobHandler<TInput>
{
    /// <summary>Runs one attempt of a job.</summary>
    /// <param name="context">The job: id, attempt, input, progress, events, child jobs.</param>
    /// <param name="cancellationToken">Cancelled when the job is aborted, the attempt times out, its lease is lost, or the host stops.</param>
    /// <returns>A task that completes when the attempt has succeeded.</returns>
    ValueTask HandleAsync(JobContext<TInput> context, CancellationToken cancellationToken);
}

/// <summary>Runs jobs of one type and produces a result, stored (as JSON) in the job's history and state.</summary>
/// <typeparam name="TInput">The job's input.</typeparam>
/// <typeparam name="TResult">The result; read it back with <see cref="JobState.GetResult{T}"/>.</typeparam>
/// <remarks>See <see cref="IJobHandler{TInput}"/> for the execution guarantee.</remarks>
public interface IJobHandler<TInput, TResult>
{
    /// <summary>Runs one attempt of a job.</summary>
    /// <param name="context">The job: id, attempt, input, progress, events, child jobs.</param>
    /// <param name="cancellationToken">Cancelled when the job is aborted, the attempt times out, its lease is lost, or the host stops.</param>
    /// <returns>The result.</returns>
    ValueTask<TResult> HandleAsync(JobContext<TInput> context, CancellationToken cancellationToken);
}
