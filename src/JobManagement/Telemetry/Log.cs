using Microsoft.Extensions.Logging;

namespace JobManagement;

/// <summary>Source-generated log messages of the core package. Event ids 1000–1099 (listed in docs/telemetry.md).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "The job engine is using the in-memory journal: job state will not survive a restart. Register a durable journal for anything you must keep.")]
    public static partial void InMemoryJournalInUse(ILogger logger);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Event {EventId} was redelivered with different content than the recorded original (job {JobId}); the original wins and nothing was appended.")]
    public static partial void ConflictingDuplicate(ILogger logger, EventId eventId, JobId? jobId);

    /// <summary>Logs a rejected event; the reason may quote the caller's input, so it is escaped onto one line.</summary>
    public static void EventRejected(ILogger logger, EventId eventId, string field, string reason)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            string safe = LogText.Safe(reason); // (computed only when the message is written)
            EventRejectedCore(logger, eventId, field, safe);
        }
    }

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Job {JobId} of type {JobType} created (request {RequestId}); adopted {Adopted} earlier event(s).")]
    public static partial void JobCreated(ILogger logger, JobId jobId, JobType jobType, EventId requestId, int adopted);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Append to job {JobId} lost a concurrency race (expected version {Expected}, actual {Actual}); catching up and retrying.")]
    public static partial void ConcurrencyRetry(ILogger logger, JobId jobId, long expected, long actual);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Job {JobId} moved from {From} to {To} (entry {Sequence}, {EventType}).")]
    public static partial void JobTransitioned(ILogger logger, JobId jobId, JobStatus? from, JobStatus to, long sequence, EventTypeId eventType);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Could not record in parent job {ParentJobId} that child job {ChildJobId} ended; SyncChildrenAsync repairs it.")]
    public static partial void ParentNotificationFailed(ILogger logger, JobId parentJobId, JobId childJobId, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "Job {JobId} ({JobType}) attempt {Attempt} failed with {ExceptionType}; retrying in {Delay}.")]
    public static partial void AttemptRetrying(ILogger logger, JobId jobId, JobType jobType, int attempt, TimeSpan delay, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "Job {JobId} ({JobType}) attempt {Attempt} failed with {ExceptionType} and will not be retried: the job failed and is dead-lettered.")]
    public static partial void AttemptDeadLettered(ILogger logger, JobId jobId, JobType jobType, int attempt, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Job {JobId} ({JobType}) attempt {Attempt} was stopped ({Reason}).")]
    public static partial void AttemptInterrupted(ILogger logger, JobId jobId, JobType jobType, int attempt, AttemptRun.StopReason reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Job worker {WorkerId} started: {HandlerCount} job type(s) with handlers, at most {MaxConcurrency} attempts at once.")]
    public static partial void WorkerStarted(ILogger logger, string workerId, int handlerCount, int maxConcurrency);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Job worker {WorkerId} stopped; {Interrupted} running attempt(s) were interrupted.")]
    public static partial void WorkerStopped(ILogger logger, string workerId, int interrupted);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Error, Message = "Job worker {WorkerId} could not run job {JobId}; it will be tried again.")]
    public static partial void WorkerRunFailed(ILogger logger, string workerId, JobId jobId, Exception exception);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Error, Message = "Job worker {WorkerId} could not read the journal; retrying after the poll interval.")]
    public static partial void WorkerScanFailed(ILogger logger, string workerId, Exception exception);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Error, Message = "Compensation {Compensation} of job {JobId} (run {Run}) failed and will not be retried: recovery is required.")]
    public static partial void CompensationFailed(ILogger logger, JobId jobId, string compensation, int run, Exception exception);

    /// <summary>Logs an attempt stopped by an abort; the reason is the caller's text, so it is escaped onto one line.</summary>
    public static void AttemptAborted(ILogger logger, JobId jobId, JobType jobType, int attempt, string abortReason)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            string safe = LogText.Safe(abortReason);
            AttemptAbortedCore(logger, jobId, jobType, attempt, safe);
        }
    }

    [LoggerMessage(EventId = 1016, Level = LogLevel.Debug, Message = "Job {JobId} ({JobType}) attempt {Attempt} started after waiting {QueueWait} since it became runnable.")]
    public static partial void AttemptStarted(ILogger logger, JobId jobId, JobType jobType, int attempt, TimeSpan queueWait);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Debug, Message = "Job {JobId} ({JobType}) attempt {Attempt} ended: {Outcome} after {Duration}.")]
    public static partial void AttemptEnded(ILogger logger, JobId jobId, JobType jobType, int attempt, string outcome, TimeSpan duration);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Information, Message = "Job {JobId} ({JobType}) attempt {Attempt} was stopped: the job was aborted ({AbortReason}).")]
    private static partial void AttemptAbortedCore(ILogger logger, JobId jobId, JobType jobType, int attempt, string abortReason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Event {EventId} rejected: {Field}: {Reason}")]
    private static partial void EventRejectedCore(ILogger logger, EventId eventId, string field, string reason);
}
