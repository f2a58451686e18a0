using Microsoft.Extensions.Logging;

namespace JobManagement;

/// <summary>Source-generated log messages of the core package. Event ids 1000–1099 (listed in docs/telemetry.md).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "The job engine is using the in-memory journal: job state will not survive a restart. Register a durable journal for anything you must keep.")]
    public static partial void InMemoryJournalInUse(ILogger logger);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Event {EventId} was redelivered with different content than the recorded original (job {JobId}); the original wins and nothing was appended.")]
    public static partial void ConflictingDuplicate(ILogger logger, EventId eventId, JobId? jobId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Event {EventId} rejected: {Field}: {Reason}")]
    public static partial void EventRejected(ILogger logger, EventId eventId, string field, string reason);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Job {JobId} of type {JobType} created (request {RequestId}); adopted {Adopted} earlier event(s).")]
    public static partial void JobCreated(ILogger logger, JobId jobId, JobType jobType, EventId requestId, int adopted);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Debug, Message = "Append to job {JobId} lost a concurrency race (expected version {Expected}, actual {Actual}); catching up and retrying.")]
    public static partial void ConcurrencyRetry(ILogger logger, JobId jobId, long expected, long actual);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Job {JobId} moved from {From} to {To} (entry {Sequence}, {EventType}).")]
    public static partial void JobTransitioned(ILogger logger, JobId jobId, JobStatus? from, JobStatus to, long sequence, EventTypeId eventType);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Could not record in parent job {ParentJobId} that child job {ChildJobId} ended; SyncChildrenAsync repairs it.")]
    public static partial void ParentNotificationFailed(ILogger logger, JobId parentJobId, JobId childJobId, Exception exception);
}
