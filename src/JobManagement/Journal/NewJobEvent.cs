using System.Text.Json;

namespace JobManagement;

/// <summary>
/// An entry to append: everything of a <see cref="JobEventLogEntry"/> except what the journal
/// assigns (position, stream and sequence).
/// </summary>
public sealed record NewJobEvent
{
    /// <summary>Gets the event instance's identity (the idempotency key).</summary>
    public required EventId EventId { get; init; }

    /// <summary>Gets the event's semantic type.</summary>
    public required EventTypeId EventType { get; init; }

    /// <summary>Gets the lane.</summary>
    public required EventLane Lane { get; init; }

    /// <summary>Gets the logical task the entry concerns, if any.</summary>
    public TaskId? TaskId { get; init; }

    /// <summary>Gets when the fact happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Gets when it is being recorded.</summary>
    public required DateTimeOffset RecordedAt { get; init; }

    /// <summary>Gets the attributes.</summary>
    public EventAttributes Attributes { get; init; } = EventAttributes.Empty;

    /// <summary>Gets the JSON payload, if any.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>Gets the observability identifiers.</summary>
    public EventObservability Observability { get; init; } = EventObservability.None;

    /// <summary>Creates the stored entry once the journal has placed it.</summary>
    /// <param name="jobId">The stream.</param>
    /// <param name="sequence">The sequence within the stream.</param>
    /// <param name="position">The global position.</param>
    /// <returns>The entry.</returns>
    public JobEventLogEntry ToEntry(JobId jobId, long sequence, long position) => new()
    {
        Position = position,
        JobId = jobId,
        Sequence = sequence,
        EventId = EventId,
        EventType = EventType,
        Lane = Lane,
        TaskId = TaskId,
        OccurredAt = OccurredAt,
        RecordedAt = RecordedAt,
        Attributes = Attributes,
        Payload = Payload,
        Observability = Observability,
    };

    /// <summary>
    /// Tells whether a stored entry carries the same content: type, lane, task, occurrence time,
    /// attributes and payload. Recording time and observability ids are not content.
    /// </summary>
    /// <param name="entry">The stored entry with the same event id.</param>
    /// <returns>True when a redelivery of this event is an exact duplicate of the stored one.</returns>
    public bool HasSameContentAs(JobEventLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return EventType == entry.EventType
            && Lane == entry.Lane
            && TaskId == entry.TaskId
            && OccurredAt == entry.OccurredAt
            && Attributes.Equals(entry.Attributes)
            && PayloadEquals(Payload, entry.Payload);
    }

    private static bool PayloadEquals(JsonElement? left, JsonElement? right) =>
        left is null ? right is null : right is not null && JsonElement.DeepEquals(left.Value, right.Value);
}
