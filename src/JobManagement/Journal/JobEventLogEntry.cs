using System.Text.Json;

namespace JobManagement;

/// <summary>
/// One recorded fact in a job's stream: immutable once appended. The journal assigns
/// <see cref="Position"/> (global, increasing) and <see cref="Sequence"/> (per job, 1..n, contiguous).
/// </summary>
public sealed record JobEventLogEntry
{
    /// <summary>Gets the entry's global position in the journal (1-based, increasing in append order).</summary>
    public required long Position { get; init; }

    /// <summary>Gets the stream the entry belongs to: a job, or <see cref="JobId.Unrouted"/>.</summary>
    public required JobId JobId { get; init; }

    /// <summary>Gets the entry's place in its stream: 1 for the first, contiguous.</summary>
    public required long Sequence { get; init; }

    /// <summary>Gets the event instance's identity (the idempotency key).</summary>
    public required EventId EventId { get; init; }

    /// <summary>Gets the event's semantic type.</summary>
    public required EventTypeId EventType { get; init; }

    /// <summary>Gets the lane: execution facts from the engine, or domain facts from the application.</summary>
    public required EventLane Lane { get; init; }

    /// <summary>Gets the logical task the entry concerns, if any.</summary>
    public TaskId? TaskId { get; init; }

    /// <summary>Gets when the fact happened, according to its producer.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Gets when the engine recorded it (from the engine's <see cref="TimeProvider"/>).</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>Gets the attributes.</summary>
    public EventAttributes Attributes { get; init; } = EventAttributes.Empty;

    /// <summary>Gets the JSON payload, if any.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>Gets the observability identifiers. Never read by the projector.</summary>
    public EventObservability Observability { get; init; } = EventObservability.None;
}
