using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace JobManagement.AspNetCore;

/// <summary>
/// Reports the job engine's health: Unhealthy when the journal cannot be read or the worker does not
/// run; Degraded when a job has waited for its handler's first attempt longer than
/// <see cref="JobEngineHealthCheckOptions.MaxWaitingAge"/>; Healthy otherwise. Register it with
/// <c>services.AddHealthChecks().AddJobEngineHealthCheck()</c>.
/// </summary>
/// <remarks>Its data names the worker's liveness and, when a job waits, the oldest waiting job and since when.</remarks>
public sealed class JobEngineHealthCheck : IHealthCheck
{
    private readonly IJobEventJournal _journal;
    private readonly JobIndex _index;
    private readonly IJobWorkerMonitor _worker;
    private readonly TimeProvider _time;
    private readonly JobEngineHealthCheckOptions _options;

    /// <summary>Initializes a new instance.</summary>
    /// <param name="journal">The journal to probe.</param>
    /// <param name="index">The job index, for the oldest waiting job.</param>
    /// <param name="worker">Tells whether the worker runs.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="options">The options.</param>
    public JobEngineHealthCheck(IJobEventJournal journal, JobIndex index, IJobWorkerMonitor worker, TimeProvider timeProvider, IOptions<JobEngineHealthCheckOptions> options)
    {
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        _journal = journal;
        _index = index;
        _worker = worker;
        _time = timeProvider;
        _options = options.Value;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        HealthStatus failure = context.Registration.FailureStatus;
        JobWorkerLiveness liveness = _worker.GetLiveness();
        var data = new Dictionary<string, object> { ["worker"] = liveness.ToString() };
        JobSummary? oldest;
        DateTimeOffset now = _time.GetUtcNow();
        try
        {
            await _journal.GetStreamVersionAsync(JobId.Unrouted, cancellationToken).ConfigureAwait(false);
            oldest = await _index.FindOldestWaitingAsync(now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new HealthCheckResult(failure, "The journal cannot be read.", exception, data);
        }

        if (liveness is JobWorkerLiveness.NotStarted or JobWorkerLiveness.Stopped)
        {
            return new HealthCheckResult(failure, $"The job worker is not running ({liveness}).", data: data);
        }

        if (oldest is { WaitingSince: { } since })
        {
            data["oldestWaitingJob"] = oldest.JobId.Value;
            data["oldestWaitingSince"] = since;
            if (now - since > _options.MaxWaitingAge)
            {
                return HealthCheckResult.Degraded($"Job {oldest.JobId} has waited for its first attempt since {since:O}, longer than {_options.MaxWaitingAge}.", data: data);
            }
        }

        return HealthCheckResult.Healthy("The journal is reachable and the worker runs.", data);
    }
}
