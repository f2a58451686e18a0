namespace JobManagement;

/// <summary>
/// One entry as the in-memory journal keeps it: the fields of a <see cref="JobEventLogEntry"/> packed
/// in a 128-byte struct, stored in large chunks (<see cref="StoredEntries"/>) so that keeping an
/// entry creates no object the garbage collector has to promote; readers get a
/// <see cref="JobEventLogEntry"/> made on demand. The position is the entry's index plus one.
/// </summary>
/// <remarks>
/// Timestamps are kept as clock ticks and offset minutes (a <see cref="DateTimeOffset"/> field
/// takes 16 bytes with padding), and the two fields most entries lack (task id, payload) share
/// one reference that is null when both are absent. The engine's own event ids (UUIDs) and the attributes of
/// an attempt's start are kept without objects (<see cref="StoredEventId"/>, <see cref="StoredAttributes"/>):
/// the 40 bytes they add here are not traced by the collector, and the strings they replace were.
/// </remarks>
internal readonly struct StoredEntry
{
    private readonly long _occurredTicks;
    private readonly long _recordedTicks;
    private readonly EventExtras? _extras;
    private readonly short _occurredOffsetMinutes;
    private readonly short _recordedOffsetMinutes;

    public StoredEntry(JobId jobId, long sequence, NewJobEvent newEvent, StoredEventId storedId, int previousWithSameEventId, int previousInStream)
    {
        JobId = jobId;
        Sequence = checked((int)sequence);
        PreviousInStream = previousInStream;
        StoredId = storedId;
        EventType = newEvent.EventType;
        Lane = newEvent.Lane;
        PreviousWithSameEventId = previousWithSameEventId;
        StoredAttributes = StoredAttributes.From(newEvent.Attributes);
        Observability = newEvent.Observability;
        _occurredTicks = newEvent.OccurredAt.Ticks;
        _occurredOffsetMinutes = (short)newEvent.OccurredAt.TotalOffsetMinutes;
        _recordedTicks = newEvent.RecordedAt.Ticks;
        _recordedOffsetMinutes = (short)newEvent.RecordedAt.TotalOffsetMinutes;
        _extras = newEvent.Extras; // the event's own: the stored copy makes no object
    }

    public JobId JobId { get; }

    /// <summary>The sequence in the job's stream (a stream is a list indexed by int, so it fits).</summary>
    public int Sequence { get; }

    public StoredEventId StoredId { get; }

    public EventTypeId EventType { get; }

    public EventLane Lane { get; }

    /// <summary>The index of the previous entry with the same event id (another job's copy of a routed event), or -1.</summary>
    public int PreviousWithSameEventId { get; }

    /// <summary>The index of the stream's previous entry, or -1 for its first: a stream is a chain through its entries, so it costs no object.</summary>
    public int PreviousInStream { get; }

    public StoredAttributes StoredAttributes { get; }

    public EventObservability Observability { get; }

    public JobEventLogEntry ToEntry(long position) => new()
    {
        Position = position,
        JobId = JobId,
        Sequence = Sequence,
        EventId = StoredId.ToEventId(),
        EventType = EventType,
        Lane = Lane,
        Extras = _extras,
        OccurredAt = new DateTimeOffset(_occurredTicks, TimeSpan.FromMinutes(_occurredOffsetMinutes)),
        RecordedAt = new DateTimeOffset(_recordedTicks, TimeSpan.FromMinutes(_recordedOffsetMinutes)),
        Attributes = StoredAttributes.ToAttributes(),
        Observability = Observability,
    };
}
