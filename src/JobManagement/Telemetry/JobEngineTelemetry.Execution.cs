using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace JobManagement;

/// <summary>
/// The worker's spans and measurements: one span per attempt and per compensation run, linked (never
/// parented) to the trace that created the job; attempts by outcome, their duration and queue wait;
/// dead letters; and gauges of what this process's worker runs and knows to be waiting.
/// </summary>
internal sealed partial class JobEngineTelemetry
{
    private JobWorker? _worker;

    /// <summary>Gets a value indicating whether anyone listens to the engine's spans (then a run reads the job's creation context, once).</summary>
    public static bool IsTracing => Source.HasListeners();

    /// <summary>
    /// Starts an attempt's span: a root (attempts are background work, whatever span the worker's flow
    /// carries) with a link to the trace that created the job. It becomes the current span of the
    /// caller's flow, so the handler's own spans are its children.
    /// </summary>
    public static Activity? StartAttempt(JobId jobId, JobType jobType, int attempt, ActivityContext createdBy)
    {
        Activity? activity = StartRoot(JobManagementDiagnostics.Names.AttemptSpan, createdBy);
        if (activity is { IsAllDataRequested: true })
        {
            activity.AddTag("job.id", jobId.ToString());
            activity.AddTag("job.type", jobType.ToString());
            activity.AddTag("job.attempt", Boxed(attempt));
        }

        return activity;
    }

    /// <summary>Starts a compensation run's span, like an attempt's: a root linked to the trace that created the job.</summary>
    public static Activity? StartCompensation(JobId jobId, JobType jobType, string compensation, int run, ActivityContext createdBy)
    {
        Activity? activity = StartRoot(JobManagementDiagnostics.Names.CompensationSpan, createdBy);
        if (activity is { IsAllDataRequested: true })
        {
            activity.AddTag("job.id", jobId.ToString());
            activity.AddTag("job.type", jobType.ToString());
            activity.AddTag("job.compensation.name", compensation);
            activity.AddTag("job.compensation.run", Boxed(run));
        }

        return activity;
    }

    /// <summary>The trace context stored with a fact (see <see cref="Capture"/>), to link to; default when none (or not a W3C id).</summary>
    public static ActivityContext ContextOf(EventObservability observability) =>
        observability is { TraceId: { Length: 32 } trace, SpanId: { Length: 16 } span } && IsHexId(trace) && IsHexId(span)
            ? new ActivityContext(ActivityTraceId.CreateFromString(trace), ActivitySpanId.CreateFromString(span), ActivityTraceFlags.None, isRemote: true)
            : default;

    /// <summary>Ends an attempt's span with its outcome and counts the attempt (duration on the engine's clock, as the journal has it).</summary>
    public void EndAttempt(Activity? activity, JobType jobType, AttemptEnd outcome, Exception? exception, TimeSpan duration)
    {
        string name = OutcomeName(outcome);
        if (activity is not null)
        {
            if (activity.IsAllDataRequested)
            {
                activity.AddTag("job.attempt.outcome", name);
            }

            if (exception is not null && outcome != AttemptEnd.Interrupted)
            {
                activity.AddTag("error.type", exception.GetType().FullName);
                RecordError(activity, exception);
            }

            activity.Stop();
        }

        if (_attempts.Enabled || _attemptDuration.Enabled)
        {
            var type = new KeyValuePair<string, object?>("job.type", jobType.ToString());
            var tag = new KeyValuePair<string, object?>("outcome", name);
            _attempts.Add(1, type, tag);
            _attemptDuration.Record(Math.Max(0, duration.TotalSeconds), type, tag);
        }
    }

    /// <summary>Ends a compensation run's span: <c>completed</c>, <c>failed</c>, <c>interrupted</c> or <c>record_only</c>.</summary>
    public static void EndCompensation(Activity? activity, string outcome, Exception? exception)
    {
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            activity.AddTag("job.compensation.outcome", outcome);
        }

        if (exception is not null && outcome != "interrupted")
        {
            activity.AddTag("error.type", exception.GetType().FullName);
            RecordError(activity, exception);
        }

        activity.Stop();
    }

    /// <summary>Records how long a job waited between becoming runnable and its attempt's start (both on the engine's clock).</summary>
    public void RecordQueueWait(JobType jobType, TimeSpan wait)
    {
        if (_queueWait.Enabled)
        {
            _queueWait.Record(Math.Max(0, wait.TotalSeconds), new KeyValuePair<string, object?>("job.type", jobType.ToString()));
        }
    }

    /// <summary>Counts a job dead-lettered by this process (its final failure was applied here, so it is counted once).</summary>
    public void RecordDeadLettered(JobType jobType) =>
        _jobsDeadLettered.Add(1, new KeyValuePair<string, object?>("job.type", jobType.ToString()));

    /// <summary>Lets the gauges read a worker while it runs.</summary>
    public void AttachWorker(JobWorker worker) => Volatile.Write(ref _worker, worker);

    /// <summary>Stops the gauges reading the worker (when it is the one attached).</summary>
    public void DetachWorker(JobWorker worker) => Interlocked.CompareExchange(ref _worker, null, worker);

    private static Activity? StartRoot(string name, ActivityContext createdBy)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // Kind Consumer, as the messaging conventions' "process" spans: work someone else enqueued, run
        // later, linked to the trace that enqueued it rather than parented by it. Clearing the current span
        // makes the attempt a root: it only changes this async flow (the caller's run), never the caller's caller.
        Activity.Current = null;
        return createdBy == default
            ? Source.StartActivity(name, ActivityKind.Consumer)
            : Source.StartActivity(name, ActivityKind.Consumer, default(ActivityContext), links: [new ActivityLink(createdBy)]);
    }

    private static bool IsHexId(string id)
    {
        bool nonZero = false;
        foreach (char c in id)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }

            nonZero |= c != '0';
        }

        return nonZero;
    }

    /// <summary>The outcome's name, as tags and logs spell it.</summary>
    public static string OutcomeName(AttemptEnd outcome) => outcome switch
    {
        AttemptEnd.Succeeded => "succeeded",
        AttemptEnd.Failed => "failed",
        AttemptEnd.Retrying => "retrying",
        AttemptEnd.Interrupted => "interrupted",
        _ => "record_only",
    };

    private IEnumerable<Measurement<int>> ObserveRunning() =>
        Volatile.Read(ref _worker) is { } worker ? [new Measurement<int>(worker.RunningCount)] : [];

    private IEnumerable<Measurement<int>> ObserveWaiting() =>
        Volatile.Read(ref _worker) is { } worker ? [new Measurement<int>(worker.WaitingCount)] : [];
}

/// <summary>How an attempt ended, as its span and the <c>jobmanagement.attempts</c> counter tell it.</summary>
internal enum AttemptEnd
{
    /// <summary>The handler succeeded and its success was applied.</summary>
    Succeeded,

    /// <summary>The handler failed with no retry left (or a failure that is not retried): the job failed and is dead-lettered.</summary>
    Failed,

    /// <summary>The handler failed; the failure and its retry time were applied, and the job runs again.</summary>
    Retrying,

    /// <summary>The attempt was stopped before its handler finished: a shutdown, an abort, or a lost lease.</summary>
    Interrupted,

    /// <summary>The handler finished, but the attempt was no longer the job's running one (aborted, or taken over): its outcome is only recorded.</summary>
    RecordOnly,
}
