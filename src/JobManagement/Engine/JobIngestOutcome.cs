namespace JobManagement;

/// <summary>The outcome of one event for one job.</summary>
/// <param name="JobId">The job, or null when the event reached no job (unmatched, or rejected without a job id).</param>
/// <param name="Status">What happened.</param>
/// <param name="JobStatus">The job's status afterwards, when there is a job.</param>
/// <param name="Entry">The entry appended, or for a duplicate the original entry.</param>
/// <param name="IsConflict">For a duplicate: the redelivery's content differed from the original (the original wins).</param>
/// <param name="Field">For a rejection: the field at fault.</param>
/// <param name="Reason">For a rejection: why.</param>
public readonly record struct JobIngestOutcome(
    JobId? JobId,
    IngestStatus Status,
    JobStatus? JobStatus = null,
    EntryReference? Entry = null,
    bool IsConflict = false,
    string? Field = null,
    string? Reason = null);
