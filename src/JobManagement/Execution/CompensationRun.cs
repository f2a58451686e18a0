using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;

namespace JobManagement;

/// <summary>
/// One claimed run of a compensating job's compensation handler: leased and renewed like an attempt,
/// retried in-process by Polly, and ended with <c>job.compensation.completed</c> or
/// <c>job.compensation.failed</c> naming the run, so the outcome of a run another worker took over is
/// record-only.
/// </summary>
internal sealed class CompensationRun(
    JobEngine engine,
    JobCompensationRegistration compensation,
    JobWorkerOptions options,
    IServiceScopeFactory scopes,
    ILogger logger,
    JobState claimed,
    int run,
    CancellationToken hardStop)
{
    public async Task RunAsync()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(hardStop);
        ActivityContext createdBy = JobEngineTelemetry.IsTracing ? await engine.ReadCreationContextAsync(claimed.JobId, cancel.Token).ConfigureAwait(false) : default;
        using Activity? span = JobEngineTelemetry.StartCompensation(claimed.JobId, claimed.JobType, compensation.Name, run, createdBy);
        using IDisposable? scope = logger.BeginScope(new JobLogScope(claimed.JobId, claimed.JobType, JobLogScope.CompensationRunKey, run));
        string outcome = "interrupted";
        Exception? error = null;
        Task renewal = RenewLeaseAsync(cancel);
        try
        {
            await compensation.Pipeline(engine.Time).ExecuteAsync(
                async token =>
                {
                    await using AsyncServiceScope scope = scopes.CreateAsyncScope();
                    await compensation.InvokeAsync(scope.ServiceProvider, claimed, run, options.SerializerOptions, token).ConfigureAwait(false);
                },
                cancel.Token).ConfigureAwait(false);
            (bool applied, _) = await EndAsync(completed: true, detail: null).ConfigureAwait(false);
            outcome = applied ? "completed" : "record_only";
        }
        catch (Exception) when (cancel.IsCancellationRequested)
        {
            // Stopped (host stop, lost lease, outcome recorded elsewhere): the lease expires and the run is taken over if needed.
        }
        catch (Exception exception)
        {
            ExecutionFailure failure = ExecutionFailure.From(exception);
            string detail = failure.ToString();
            int max = engine.Options.MaxReasonLength;
            (bool applied, _) = await EndAsync(completed: false, detail.Length > max ? detail[..max] : detail).ConfigureAwait(false);
            (outcome, error) = (applied ? "failed" : "record_only", exception);
            Log.CompensationFailed(logger, claimed.JobId, compensation.Name, run, exception);
        }
        finally
        {
            JobEngineTelemetry.EndCompensation(span, outcome, error);
            await cancel.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private ValueTask<(bool Applied, JobRunFacts Job)> EndAsync(bool completed, string? detail) =>
        engine.RecordAttemptFactAsync(claimed.JobId, ExecutionFacts.CompensationEnded(engine.Ids.NewEventId(), run, completed, detail, engine.Time.GetUtcNow()), CancellationToken.None);

    private async Task RenewLeaseAsync(CancellationTokenSource cancel)
    {
        using var timer = new PeriodicTimer(options.LeaseRenewalInterval, engine.Time);
        while (await timer.WaitForNextTickAsync(cancel.Token).ConfigureAwait(false))
        {
            DateTimeOffset now = engine.Time.GetUtcNow();
            (bool applied, _) = await engine.RecordAttemptFactAsync(claimed.JobId, ExecutionFacts.CompensationLeaseRenewed(engine.Ids.NewEventId(now), run, now + options.LeaseDuration, now), cancel.Token).ConfigureAwait(false);
            if (!applied)
            {
                await cancel.CancelAsync().ConfigureAwait(false);
                return;
            }
        }
    }
}
