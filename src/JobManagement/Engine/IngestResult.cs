using System.Collections.Immutable;

namespace JobManagement;

/// <summary>The result of ingesting one event: one outcome per job it reached (or one outcome when it reached none).</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Outcomes">The outcomes, never empty.</param>
public readonly record struct IngestResult(EventId EventId, ImmutableArray<JobIngestOutcome> Outcomes)
{
    /// <summary>Gets a value indicating whether the event was rejected (nothing appended).</summary>
    public bool IsRejected => Outcomes.Length == 1 && Outcomes[0].Status == IngestStatus.Rejected;

    /// <summary>Gets a value indicating whether the event was a redelivery (nothing appended anywhere).</summary>
    public bool IsDuplicate => Outcomes.All(static o => o.Status == IngestStatus.Duplicate);

    internal static IngestResult Rejected(EventId eventId, JobId? jobId, string field, string reason) =>
        new(eventId, [new JobIngestOutcome(jobId, IngestStatus.Rejected, Field: field, Reason: reason)]);
}
