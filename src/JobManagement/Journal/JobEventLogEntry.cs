using System.Text.Json;

namespace JobManagement;

/// <summary>
/// One recorded fact in a job's stream: immutable once appended. The journal assigns
/// <see cref="Position"/> (global, increasing) and <see cref="Sequence"/> (per job, 1..n, contiguous).
/// </summary>
/// <remarks>
/// Equal to another entry when every property is equal (times as instants, as <see cref="DateTimeOffset"/> compares them).
/// </remarks>
public sealed record JobEventLogEntry
{
    // Every append makes an entry, so it is kept small (104 bytes, not 152): times as clock ticks and offset minutes (a
    // DateTimeOffset field takes 16 bytes with padding), and the task id and payload most entries lack behind one reference.
    private long _occurredTicks;
    private long _recordedTicks;
    private short _occurredOffsetMinutes;
    private short _recordedOffsetMinutes;
    private EventExtras? _extras;

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
    public TaskId? TaskId
    {
        get => _extras?.TaskId;
        init => _extras = EventExtras.Of(value, _extras?.Payload);
    }

    /// <summary>Gets when the fact happened, according to its producer.</summary>
    public required DateTimeOffset OccurredAt
    {
        get => new(_occurredTicks, TimeSpan.FromMinutes(_occurredOffsetMinutes));
        init => (_occurredTicks, _occurredOffsetMinutes) = (value.Ticks, (short)value.TotalOffsetMinutes);
    }

    /// <summary>Gets when the engine recorded it (from the engine's <see cref="TimeProvider"/>).</summary>
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

    /// <summary>Gets the observability identifiers. Never read by the projector.</summary>
    public EventObservability Observability { get; init; } = EventObservability.None;

    /// <summary>The task id and payload as one shared reference (null when both are absent): copied, not rebuilt, by a journal.</summary>
    internal EventExtras? Extras
    {
        get => _extras;
        init => _extras = value;
    }

    /// <summary>Tells whether every property of <paramref name="other"/> is equal to this entry's.</summary>
    /// <param name="other">The other entry.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(JobEventLogEntry? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Position == other.Position
                && Sequence == other.Sequence
                && JobId == other.JobId
                && EventId == other.EventId
                && EventType == other.EventType
                && Lane == other.Lane
                && OccurredAt == other.OccurredAt
                && RecordedAt == other.RecordedAt
                && Equals(_extras, other._extras)
                && EqualityComparer<EventAttributes>.Default.Equals(Attributes, other.Attributes)
                && EqualityComparer<EventObservability>.Default.Equals(Observability, other.Observability)));

    /// <inheritdoc />
    public override int GetHashCode() =>
        HashCode.Combine(HashCode.Combine(Position, Sequence, JobId, EventId, EventType, Lane), OccurredAt, RecordedAt, _extras, Attributes, Observability);
}
