using System.Collections.Immutable;
using System.Text.Json;

namespace JobManagement;

/// <summary>
/// The payload of a <c>job.batch.submitted</c> entry: every request of the batch, each with the job id
/// chosen when it was submitted, so that creating the jobs from it again always gives the same jobs.
/// </summary>
/// <param name="Jobs">The requests, in submission order.</param>
internal sealed record BatchSubmission(ImmutableArray<RecordedJobRequest> Jobs)
{
    public JsonElement ToPayload() => JsonSerializer.SerializeToElement(this, JobManagementJson.Options);

    public static BatchSubmission Read(JobEventLogEntry entry)
    {
        try
        {
            BatchSubmission? submission = entry.Payload?.Deserialize<BatchSubmission>(JobManagementJson.Options);
            return submission is { Jobs.IsDefaultOrEmpty: false } && submission.Jobs.All(static j => j is not null)
                ? submission
                : throw Corrupt(entry, "the batch holds no requests", null);
        }
        catch (JsonException exception)
        {
            throw Corrupt(entry, $"the batch cannot be read: {exception.Message}", exception);
        }
    }

    /// <summary>The creating request id of the batch's job at <paramref name="index"/>: derived from the batch's request id.</summary>
    public static EventId ItemRequestId(EventId batchRequestId, int index) =>
        batchRequestId.Derive(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"job-{index}"));

    private static JobJournalCorruptionException Corrupt(JobEventLogEntry entry, string problem, Exception? inner) =>
        new(entry.JobId, entry.Sequence, problem, inner);
}
