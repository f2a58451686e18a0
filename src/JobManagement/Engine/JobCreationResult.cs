namespace JobManagement;

/// <summary>The result of creating a job.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="IsDuplicate">Whether the request id had already created this job (nothing was appended).</param>
/// <param name="State">The job's state.</param>
/// <param name="IsDeduplicated">
/// Whether an existing job with the request's <see cref="CreateJobRequest.DedupeKey"/> was returned instead of creating
/// one (nothing was appended). Distinct from <paramref name="IsDuplicate"/>, which means the same request id.
/// </param>
public sealed record JobCreationResult(JobId JobId, bool IsDuplicate, JobState State, bool IsDeduplicated = false);

/// <summary>The result of a command on a job (start, abort, compensation outcome).</summary>
/// <param name="Status">What the command did: Applied, Duplicate, or RecordedOnly when the job was already terminal.</param>
/// <param name="State">The job's state afterwards.</param>
public sealed record JobCommandResult(IngestStatus Status, JobState State);
