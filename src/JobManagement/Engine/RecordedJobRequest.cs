using System.Text.Json;

namespace JobManagement;

/// <summary>
/// A creation request as an entry records it, with the job id it was given and its run time resolved: a batch's jobs
/// (in <c>job.batch.submitted</c>) and a dedupe key's claimed job (in <c>job.dedupe.claimed</c>), so that any node can
/// create that very job later. Observability is not recorded: it never decides state.
/// </summary>
internal sealed record RecordedJobRequest(
    JobType JobType,
    JobId JobId,
    EventAttributes Correlation,
    JsonElement? Input,
    bool Start,
    int Priority,
    DateTimeOffset? RunAt,
    JobId? ReplayOf,
    JobId? ParentJobId)
{
    public static RecordedJobRequest From(CreateJobRequest request, JobId jobId) =>
        new(request.JobType, jobId, request.Correlation, request.Input?.Clone(), request.Start, request.Priority, request.RunAt, request.ReplayOf, request.ParentJobId);

    /// <summary>The request that creates the recorded job, under <paramref name="requestId"/>.</summary>
    public CreateJobRequest ToRequest(EventId requestId) => new()
    {
        JobType = JobType,
        RequestId = requestId,
        JobId = JobId,
        Correlation = Correlation,
        Input = Input,
        Start = Start,
        Priority = Priority,
        RunAt = RunAt,
        ReplayOf = ReplayOf,
        ParentJobId = ParentJobId,
    };
}
