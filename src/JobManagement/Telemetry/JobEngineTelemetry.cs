using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace JobManagement;

/// <summary>
/// The engine's spans and measurements. Spans are only started when a listener wants them, and
/// instruments only record when enabled, so an engine nobody observes pays a few checks. Nothing
/// here is read back by the engine: telemetry never influences state.
/// </summary>
internal sealed class JobEngineTelemetry : IDisposable
{
    private static readonly string Version = typeof(JobEngineTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    // One source per process, as the runtime's own libraries do: listeners subscribe by name.
    private static readonly ActivitySource Source = new(JobManagementDiagnostics.ActivitySourceName, Version);

    private readonly Meter _meter;
    private readonly Counter<long> _eventsIngested;
    private readonly Histogram<double> _ingestDuration;
    private readonly Counter<long> _jobsCreated;
    private readonly Counter<long> _jobsCompleted;
    private readonly Histogram<double> _jobDuration;

    public JobEngineTelemetry(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(new MeterOptions(JobManagementDiagnostics.MeterName) { Version = Version })
            ?? new Meter(JobManagementDiagnostics.MeterName, Version);
        _eventsIngested = _meter.CreateCounter<long>(JobManagementDiagnostics.Names.EventsIngested, "{event}", "Outcomes of ingested events, one per job reached.");
        _ingestDuration = _meter.CreateHistogram<double>(JobManagementDiagnostics.Names.IngestDuration, "s", "How long an ingest call took.");
        _jobsCreated = _meter.CreateCounter<long>(JobManagementDiagnostics.Names.JobsCreated, "{job}", "Jobs created.");
        _jobsCompleted = _meter.CreateCounter<long>(JobManagementDiagnostics.Names.JobsCompleted, "{job}", "Jobs that reached a terminal status.");
        _jobDuration = _meter.CreateHistogram<double>(JobManagementDiagnostics.Names.JobDuration, "s", "From a job's creation to its terminal status.");
    }

    public static Activity? StartIngest(IncomingEvent incoming)
    {
        Activity? activity = Source.StartActivity(JobManagementDiagnostics.Names.IngestSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("job.event.id", incoming.EventId.ToString());
            activity.SetTag("job.event.type", incoming.Type.ToString());
            if (incoming.JobId is { } jobId)
            {
                activity.SetTag("job.id", jobId.ToString());
            }
        }

        return activity;
    }

    public static Activity? StartCreate(CreateJobRequest request)
    {
        Activity? activity = Source.StartActivity(JobManagementDiagnostics.Names.CreateSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("job.type", request.JobType.ToString());
            activity.SetTag("job.request.id", request.RequestId.ToString());
        }

        return activity;
    }

    public static Activity? StartCommand(JobId jobId, EventTypeId command)
    {
        Activity? activity = Source.StartActivity(JobManagementDiagnostics.Names.CommandSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("job.id", jobId.ToString());
            activity.SetTag("job.command", command.ToString());
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

    public void RecordIngest(Activity? activity, IngestResult result, long startTimestamp)
    {
        string first = OutcomeName(result.Outcomes[0].Status);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("job.ingest.outcome", first);
            activity.SetTag("job.ingest.jobs", result.Outcomes.Count(static o => o.JobId is not null));
        }

        if (_eventsIngested.Enabled)
        {
            foreach (JobIngestOutcome outcome in result.Outcomes)
            {
                _eventsIngested.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeName(outcome.Status)));
            }
        }

        if (_ingestDuration.Enabled)
        {
            _ingestDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, new KeyValuePair<string, object?>("outcome", first));
        }
    }

    public void RecordCreated(Activity? activity, JobCreationResult result)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("job.id", result.JobId.ToString());
            activity.SetTag("job.create.duplicate", result.IsDuplicate);
        }

        if (!result.IsDuplicate)
        {
            _jobsCreated.Add(1, new KeyValuePair<string, object?>("job.type", result.State.JobType.ToString()));
        }
    }

    /// <summary>Counts a transition the engine itself just caused (never one replayed from the journal).</summary>
    public void RecordTransition(JobType jobType, JobTransition transition, DateTimeOffset createdAt)
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
