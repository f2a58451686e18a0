using System.Collections.Immutable;

namespace JobManagement.AspNetCore;

/// <summary>The answer to creating (or replaying) a job.</summary>
/// <param name="JobId">The job.</param>
/// <param name="IsDuplicate">The request id had already created this job: nothing was appended.</param>
/// <param name="IsDeduplicated">An existing job with the same dedupe key was returned: nothing was appended.</param>
/// <param name="State">The job's state.</param>
public sealed record JobCreatedResponse(JobId JobId, bool IsDuplicate, bool IsDeduplicated, JobState State);

/// <summary>The answer to ingesting an event.</summary>
/// <param name="EventId">The event.</param>
/// <param name="IsDuplicate">The event id was already recorded: nothing was appended anywhere.</param>
/// <param name="Outcomes">What it did for each job it reached (one outcome when it reached none).</param>
public sealed record IngestEventResponse(EventId EventId, bool IsDuplicate, ImmutableArray<JobIngestOutcome> Outcomes);

/// <summary>A page of a job's history.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Entries">Its journal entries, in sequence order.</param>
/// <param name="NextFrom">The <c>from</c> of the next page, or null when this page reaches the end.</param>
public sealed record JobHistoryPage(JobId JobId, IReadOnlyList<JobEventLogEntry> Entries, long? NextFrom);

/// <summary>A dead-lettered job, in a list.</summary>
/// <param name="JobId">The job.</param>
/// <param name="JobType">Its type.</param>
/// <param name="CompletedAt">When it failed.</param>
/// <param name="Attempts">How many attempts ran.</param>
/// <param name="Failure">Why it failed.</param>
public sealed record DeadLetterSummary(JobId JobId, JobType JobType, DateTimeOffset? CompletedAt, int Attempts, JobFailure? Failure);
