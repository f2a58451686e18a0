using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace JobManagement;

/// <summary>
/// The engine's spans and measurements. Spans are only started when a listener wants them, and
/// instruments only record when enabled, so an engine nobody observes pays a few checks. Nothing
/// here is read back by the engine: telemetry never influences state.
/// </summary>
internal sealed partial class JobEngineTelemetry : IDisposable
{
    private static readonly string Version = typeof(JobEngineTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    // One source per process, as the runtime's own libraries do: listeners subscribe by name.
    private static readonly ActivitySource Source = new(JobManagementDiagnostics.ActivitySourceName, Version);

    // Boxed once: tags are objects, and boxing a bool or a small count on every recorded span adds up.
    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly object[] SmallCounts = [.. Enumerable.Range(0, 17).Select(static i => (object)i)];

    private readonly Meter _meter;
    private readonly Counter<long> _eventsIngested;
    private readonly Histogram<double> _ingestDuration;
    private readonly Counter<long> _jobsCreated;
    private readonly Counter<long> _jobsCompleted;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _jobsDeadLettered;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _attemptDuration;
    private readonly Histogram<double> _queueWait;

    public JobEngineTelemetry(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(new MeterOptions(JobManagementDiagnostics.MeterName) { Version = Version })
            ?? new Meter(JobManagementDiagnostics.MeterName, Version);
        _eventsIngested = _meter.CreateCounter<long>(JobManagementDiagnostics.Names.EventsIngested, "{event}", "Outcomes of ingested events, one per job reached.");
        _ingestDuration = _meter.CreateHistogram<double>(JobManagementDiagnostics.Names.IngestDuration, "s", "How long an ingest call took.");
        _jobsCreated = _meter.CreateCounter<long>(JobManagementDiagnostics.Names.JobsCreated, "{job}", "Jobs created.");
        _jobsCompleted = _meter.CreateCounter<long>(JobManagementDiagnostics.Names.JobsCompleted, "{job}", "Jobs that reached a terminal status.");
        _jobDuration = _meter.CreateHistogram<double>(JobManagementDiagnostics.Names.JobDuration, "s", "From a job's creation to its terminal status.");
        _jobsDeadLettered = _meter.CreateCounter<long>(JobManagementDiagnostics.Names.JobsDeadLettered, "{job}", "Jobs whose last attempt failed with no retry left.");
        _attempts = _meter.CreateCounter<long>(JobManagementDiagnostics.Names.Attempts, "{attempt}", "Handler attempts run by this process's worker, by outcome.");
        _attemptDuration = _meter.CreateHistogram<double>(JobManagementDiagnostics.Names.AttemptDuration, "s", "From an attempt's start to its recorded outcome.");
        _queueWait = _meter.CreateHistogram<double>(JobManagementDiagnostics.Names.QueueWait, "s", "From when a job became runnable to the start of its attempt.");
        _meter.CreateObservableGauge(JobManagementDiagnostics.Names.WorkerRunning, ObserveRunning, "{attempt}", "Attempts and compensation runs executing in this process.");
        _meter.CreateObservableGauge(JobManagementDiagnostics.Names.WorkerWaiting, ObserveWaiting, "{job}", "Jobs this process's worker knows to be runnable now or later, not running.");
    }

    public static Activity? StartIngest(IncomingEvent incoming)
    {
        Activity? activity = Source.StartActivity(JobManagementDiagnostics.Names.IngestSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            // AddTag, not SetTag: the keys are new, so there is no list to search. The ids' text is stored, not formatted.
            activity.AddTag("job.event.id", incoming.EventId.ToString());
            activity.AddTag("job.event.type", incoming.Type.ToString());
            if (incoming.JobId is { } jobId)
            {
                activity.AddTag("job.id", jobId.ToString());
            }
        }

        return activity;
    }

    public static Activity? StartCreate(CreateJobRequest request)
    {
        Activity? activity = Source.StartActivity(JobManagementDiagnostics.Names.CreateSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.AddTag("job.type", request.JobType.ToString());
            activity.AddTag("job.request.id", request.RequestId.ToString());
        }

        return activity;
    }

    public static Activity? StartCommand(JobId jobId, EventTypeId command)
    {
        Activity? activity = Source.StartActivity(JobManagementDiagnostics.Names.CommandSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.AddTag("job.id", jobId.ToString());
            activity.AddTag("job.command", command.ToString());
        }

        return activity;
    }

    /// <summary>
    /// The observability ids to record with a fact: the caller's own when given, otherwise the
    /// caller's trace context (the span that was current when the engine was called), so work done
    /// later for the job can join the trace that caused it. Nothing is recorded when the caller was
    /// not traced: a trace that starts at the engine's own span has nothing earlier to link to.
    /// </summary>
    public static EventObservability Capture(EventObservability given)
    {
        if (given.TraceId is not null || Activity.Current is not { } current)
        {
            return given;
        }

        ActivitySpanId callerSpan = current.Source == Source ? current.ParentSpanId : current.SpanId;
        return callerSpan == default
            ? given
            : given with { TraceId = current.TraceId.ToHexString(), SpanId = callerSpan.ToHexString() };
    }

    /// <summary>
    /// Where the ingest's duration is measured from: nothing to read when a span is being recorded (its own start
    /// time serves) or when no one records the duration histogram. Each clock reading costs about 30 ns on the
    /// machines we measured, a seventh of what a recorded span costs in all, so the engine takes none it does not need.
    /// </summary>
    public long StartIngestTiming(Activity? activity) =>
        activity is null && _ingestDuration.Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>
    /// Tags the ingest span with the outcome and records the measurements. Call it last, just before the span is
    /// disposed: with a span, it reads the clock once to end the span, and the same reading gives the histogram its
    /// duration, so the span and the measurement agree and an observed ingest reads the clock twice (the span's start
    /// and this end), not four times (a Stopwatch pair around the span's own two).
    /// </summary>
    public void RecordIngest(Activity? activity, IngestResult result, long startTimestamp)
    {
        ImmutableArray<JobIngestOutcome> outcomes = result.Outcomes;
        string first = OutcomeName(outcomes[0].Status);
        if (activity is { IsAllDataRequested: true })
        {
            int jobs = 0;
            foreach (JobIngestOutcome outcome in outcomes)
            {
                jobs += outcome.JobId is null ? 0 : 1;
            }

            activity.AddTag("job.ingest.outcome", first);
            activity.AddTag("job.ingest.jobs", Boxed(jobs));
        }

        if (_eventsIngested.Enabled)
        {
            foreach (JobIngestOutcome outcome in outcomes)
            {
                _eventsIngested.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeName(outcome.Status)));
            }
        }

        if (_ingestDuration.Enabled && ElapsedSeconds(activity, startTimestamp) is { } seconds)
        {
            // Recorded while the span is still current, so an exemplar taken from this measurement names the ingest span.
            _ingestDuration.Record(seconds, new KeyValuePair<string, object?>("outcome", first));
        }
    }

    public void RecordCreated(Activity? activity, JobCreationResult result)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.AddTag("job.id", result.JobId.ToString());
            activity.AddTag("job.create.duplicate", result.IsDuplicate ? True : False);
        }

        if (!result.IsDuplicate && _jobsCreated.Enabled)
        {
            _jobsCreated.Add(1, new KeyValuePair<string, object?>("job.type", result.JobType.ToString()));
        }
    }

    /// <summary>Counts a transition the engine itself just caused (never one replayed from the journal).</summary>
    public void RecordTransition(JobType jobType, in TransitionFacts transition, DateTimeOffset createdAt)
    {
        if (!transition.To.IsTerminal() || !(_jobsCompleted.Enabled || _jobDuration.Enabled))
        {
            return;
        }

        var type = new KeyValuePair<string, object?>("job.type", jobType.ToString());
        var status = new KeyValuePair<string, object?>("job.status", StatusName(transition.To));
        _jobsCompleted.Add(1, type, status);
        _jobDuration.Record((transition.At - createdAt).TotalSeconds, type, status);
    }

    public static void RecordError(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity.AddException(exception);
    }

    public void Dispose() => _meter.Dispose();

    /// <summary>
    /// The ingest's duration: with a span, from its start to an end time set now (the span keeps it when it is
    /// disposed: <see cref="Activity.Stop"/> only reads the clock when no end time was set); otherwise from
    /// <paramref name="startTimestamp"/>, or none when there is no start (the histogram was enabled mid-call).
    /// </summary>
    private static double? ElapsedSeconds(Activity? activity, long startTimestamp)
    {
        if (activity is not null)
        {
            // Activity takes its times from DateTime.UtcNow; a wall clock stepped back mid-call must not give a negative duration.
            DateTime end = DateTime.UtcNow;
            activity.SetEndTime(end);
            return Math.Max(0d, (end - activity.StartTimeUtc).TotalSeconds);
        }

        return startTimestamp == 0 ? null : Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
    }

    /// <summary>A boxed count: small ones are cached, so a recorded span does not box each time.</summary>
    private static object Boxed(int value) => (uint)value < (uint)SmallCounts.Length ? SmallCounts[value] : value;

    private static string OutcomeName(IngestStatus status) => status switch
    {
        IngestStatus.Applied => "applied",
        IngestStatus.Duplicate => "duplicate",
        IngestStatus.RecordedOnly => "recorded_only",
        IngestStatus.Unmatched => "unmatched",
        IngestStatus.AwaitingJob => "awaiting_job",
        _ => "rejected",
    };

    private static string StatusName(JobStatus status) => status switch
    {
        JobStatus.Succeeded => "succeeded",
        JobStatus.Failed => "failed",
        _ => "aborted",
    };
}
