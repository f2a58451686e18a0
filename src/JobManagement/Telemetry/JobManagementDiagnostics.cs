namespace JobManagement;

/// <summary>
/// The names under which the engine reports traces and metrics, for wiring them to OpenTelemetry:
/// <c>.AddSource(JobManagementDiagnostics.ActivitySourceName)</c> and
/// <c>.AddMeter(JobManagementDiagnostics.MeterName)</c>. Every span, attribute and instrument is
/// listed in docs/telemetry.md.
/// </summary>
public static class JobManagementDiagnostics
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> the engine starts spans from.</summary>
    public const string ActivitySourceName = "JobManagement";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> the engine records measurements with.</summary>
    public const string MeterName = "JobManagement";

    /// <summary>Span and instrument names, fixed and low-cardinality.</summary>
    public static class Names
    {
        /// <summary>Span: one <c>IngestAsync</c> call.</summary>
        public const string IngestSpan = "job.ingest";

        /// <summary>Span: one <c>CreateJobAsync</c> call.</summary>
        public const string CreateSpan = "job.create";

        /// <summary>Span: one command on a job (start, abort, compensation outcome).</summary>
        public const string CommandSpan = "job.command";

        /// <summary>Span: one attempt of a job's handler, linked to the trace that created the job (kind <c>Consumer</c>, no parent).</summary>
        public const string AttemptSpan = "job.attempt";

        /// <summary>Span: one run of a job's compensation handler, linked to the trace that created the job (kind <c>Consumer</c>, no parent).</summary>
        public const string CompensationSpan = "job.compensation";

        /// <summary>Counter ({event}): outcomes of ingested events, one per job reached, tagged <c>outcome</c>.</summary>
        public const string EventsIngested = "jobmanagement.events.ingested";

        /// <summary>Histogram (s): how long an <c>IngestAsync</c> call took, tagged <c>outcome</c>.</summary>
        public const string IngestDuration = "jobmanagement.ingest.duration";

        /// <summary>Counter ({job}): jobs created, tagged <c>job.type</c>.</summary>
        public const string JobsCreated = "jobmanagement.jobs.created";

        /// <summary>Counter ({job}): jobs that reached a terminal status, tagged <c>job.type</c> and <c>job.status</c>.</summary>
        public const string JobsCompleted = "jobmanagement.jobs.completed";

        /// <summary>Histogram (s): from a job's creation to its terminal status, tagged <c>job.type</c> and <c>job.status</c>.</summary>
        public const string JobDuration = "jobmanagement.job.duration";

        /// <summary>Counter ({job}): jobs whose last attempt failed with no retry left, tagged <c>job.type</c>.</summary>
        public const string JobsDeadLettered = "jobmanagement.jobs.dead_lettered";

        /// <summary>Counter ({attempt}): attempts run by this process's worker, tagged <c>job.type</c> and <c>outcome</c>.</summary>
        public const string Attempts = "jobmanagement.attempts";

        /// <summary>Histogram (s): from an attempt's start to its recorded outcome (engine clock), tagged <c>job.type</c> and <c>outcome</c>.</summary>
        public const string AttemptDuration = "jobmanagement.attempt.duration";

        /// <summary>Histogram (s): from when a job became runnable (its start, run-at or retry time) to its attempt's start (engine clock), tagged <c>job.type</c>.</summary>
        public const string QueueWait = "jobmanagement.job.queue_wait";

        /// <summary>Observable gauge ({attempt}): attempts and compensation runs executing in this process.</summary>
        public const string WorkerRunning = "jobmanagement.worker.running";

        /// <summary>Observable gauge ({job}): jobs this process's worker knows to be runnable, now or later, and not running.</summary>
        public const string WorkerWaiting = "jobmanagement.worker.waiting";
    }
}
