using System.Text.Json;

namespace JobManagement;

/// <summary>
/// An entry to append: everything of a <see cref="JobEventLogEntry"/> except what the journal
/// assigns (position, stream and sequence).
/// </summary>
/// <remarks>
/// Equal to another event when every property is equal (times as instants, as <see cref="DateTimeOffset"/> compares them).
/// </remarks>
public sealed record NewJobEvent
{
    // Every fact the engine records is one of these, so it is kept small (80 bytes, not 128), as JobEventLogEntry is.
    private long _occurredTicks;
    private long _recordedTicks;
    private short _occurredOffsetMinutes;
    private short _recordedOffsetMinutes;
    private EventExtras? _extras;

    /// <summary>Gets the event instance's identity (the idempotency key).</summary>
    public required EventId EventId { get; init; }

    /// <summary>Gets the event's semantic type.</summary>
    public required EventTypeId EventType { get; init; }

    /// <summary>Gets the lane.</summary>
    public required EventLane Lane { get; init; }

    /// <summary>Gets the logical task the entry concerns, if any.</summary>
    public TaskId? TaskId
    {
        get => _extras?.TaskId;
        init => _extras = EventExtras.Of(value, _extras?.Payload);
    }

    /// <summary>Gets when the fact happened.</summary>
    public required DateTimeOffset OccurredAt
    {
        get => new(_occurredTicks, TimeSpan.FromMinutes(_occurredOffsetMinutes));
        init => (_occurredTicks, _occurredOffsetMinutes) = (value.Ticks, (short)value.TotalOffsetMinutes);
    }

    /// <summary>Gets when it is being recorded.</summary>
    public required DateTimeOffset RecordedAt
    {
        get => new(_recordedTicks, TimeSpan.FromMinutes(_recordedOffsetMinutes));
        init => (_recordedTicks, _recordedOffsetMinutes) = (value.Ticks, (short)value.TotalOffsetMinutes);
    }

    /// <summary>Gets the attributes.</summary>
    public EventAttributes Attributes { get; init; } = EventAttributes.Empty;

    /// <summary>Gets the JSON payload, if any.</summary>
    public JsonElement? Payload
    {
        get => _extras?.Payload;
        init => _extras = EventExtras.Of(_extras?.TaskId, value);
    }

    /// <summary>Gets the observability identifiers.</summary>
    public EventObservability Observability { get; init; } = EventObservability.None;

    /// <summary>The task id and payload as one shared reference (null when both are absent).</summary>
    internal EventExtras? Extras => _extras;

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
        Extras = _extras,
        OccurredAt = OccurredAt,
        RecordedAt = RecordedAt,
        Attributes = Attributes,
        Observability = Observability,
    };

    /// <summary>Tells whether every property of <paramref name="other"/> is equal to this event's.</summary>
    /// <param name="other">The other event.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(NewJobEvent? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (EventId == other.EventId
                && EventType == other.EventType
                && Lane == other.Lane
                && OccurredAt == other.OccurredAt
                && RecordedAt == other.RecordedAt
                && Equals(_extras, other._extras)
                && EqualityComparer<EventAttributes>.Default.Equals(Attributes, other.Attributes)
                && EqualityComparer<EventObservability>.Default.Equals(Observability, other.Observability)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(EventId, EventType, Lane, OccurredAt, RecordedAt, _extras, Attributes, Observability);

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
