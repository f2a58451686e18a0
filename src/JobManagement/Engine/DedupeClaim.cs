using System.Text.Json;

namespace JobManagement;

/// <summary>
/// A <c>job.dedupe.claimed</c> entry's content: the request whose job a dedupe key names from the claim on (its id, the
/// key, and the job as recorded), so that any node can create that very job, idempotently under the request's own id,
/// when the claiming node died between its claim and the job's creation.
/// </summary>
internal sealed record DedupeClaim(EventId RequestId, string DedupeKey, RecordedJobRequest Job)
{
    /// <summary>The claim of a validated request, for the job id it will create (its run time already resolved).</summary>
    public static DedupeClaim From(CreateJobRequest request, JobId jobId) =>
        new(request.RequestId, request.DedupeKey!, RecordedJobRequest.From(request, jobId));

    /// <summary>The claim's id: derived from the request's, so a retry of the request finds its own claim.</summary>
    public static EventId IdFor(EventId requestId) => requestId.Derive("dedupe-claim");

    public JobId JobId => Job.JobId;

    public DateTimeOffset? RunAt => Job.RunAt;

    public NewJobEvent ToEvent(DateTimeOffset now) =>
        EventContent.Execution(IdFor(RequestId), ExecutionEventTypes.DedupeClaimed, now, payload: JsonSerializer.SerializeToElement(this, JobManagementJson.Options));

    /// <summary>The request that creates the claimed job (without the caller's trace: only a node completing a claim uses it).</summary>
    public CreateJobRequest ToRequest() => Job.ToRequest(RequestId) with { DedupeKey = DedupeKey };

    public static DedupeClaim Read(JobEventLogEntry entry)
    {
        try
        {
            return entry.Payload?.Deserialize<DedupeClaim>(JobManagementJson.Options) is { RequestId.IsDefault: false, Job.JobId.IsDefault: false } claim
                ? claim
                : throw new JobJournalCorruptionException(entry.JobId, entry.Sequence, "the dedupe claim holds no request");
        }
        catch (JsonException exception)
        {
            throw new JobJournalCorruptionException(entry.JobId, entry.Sequence, $"the dedupe claim cannot be read: {exception.Message}", exception);
        }
    }
}
