namespace JobManagement;

/// <summary>
/// One entry as the in-memory journal keeps it: 88 bytes of plain data in native memory (<see cref="StoredEntries"/>).
/// Whatever an entry refers to (its stream's job id, its event type, an event id's text, an attribute set, a worker's name)
/// is kept once in a column of references and named here by its index; readers get a <see cref="JobEventLogEntry"/> made
/// on demand. The position is the entry's index plus one.
/// </summary>
/// <remarks>
/// Timestamps are kept as clock ticks and offset minutes. An engine event id (a UUID) is kept as its bytes
/// (<see cref="StoredEventId"/>); an attempt's start as its attempt number and lease ticks (<see cref="StoredAttributes"/>).
/// With no reference inside, the collector has nothing here to trace or copy, and the chunks it lives in count towards
/// none of its budgets.
/// </remarks>
[System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Auto)] // the runtime packs the byte and the flag after the rest
internal readonly struct StoredEntry
{
    private readonly byte _lane;

    public StoredEntry(int stream, long sequence, int previousInStream, int previousWithSameEventId, NewJobEvent newEvent, int eventType, in StoredEventId id, int text, in StoredAttributes attributes, int value, int rare)
    {
        Stream = stream;
        Sequence = checked((int)sequence);
        PreviousInStream = previousInStream;
        PreviousWithSameEventId = previousWithSameEventId;
        EventType = eventType;
        Uuid = id.Uuid;
        Text = text;
        IsDerived = id.IsDerived;
        _lane = (byte)newEvent.Lane;
        Value = value;
        LeaseTicks = attributes.LeaseTicks;
        Attempt = attributes.Attempt;
        Rare = rare;
        OccurredTicks = newEvent.OccurredAt.Ticks;
        OccurredOffsetMinutes = (short)newEvent.OccurredAt.TotalOffsetMinutes;
        RecordedTicks = newEvent.RecordedAt.Ticks;
        RecordedOffsetMinutes = (short)newEvent.RecordedAt.TotalOffsetMinutes;
    }

    public long OccurredTicks { get; }

    public long RecordedTicks { get; }

    /// <summary>Gets the lease time (UTC ticks) of a packed attempt start or renewal.</summary>
    public long LeaseTicks { get; }

    /// <summary>Gets the event id's bytes, when <see cref="Text"/> is -1.</summary>
    public Guid Uuid { get; }

    /// <summary>Gets the sequence in the job's stream (a stream is a list indexed by int, so it fits).</summary>
    public int Sequence { get; }

    /// <summary>Gets the index of the stream's previous entry, or -1 for its first: a stream is a chain through its entries, so it costs no object.</summary>
    public int PreviousInStream { get; }

    /// <summary>Gets the index of the previous entry with the same event id (another job's copy of a routed event), or -1.</summary>
    public int PreviousWithSameEventId { get; }

    /// <summary>Gets the index of the stream's job id.</summary>
    public int Stream { get; }

    /// <summary>Gets the index of the event type.</summary>
    public int EventType { get; }

    /// <summary>Gets the index of the event id's text (or of the text it was derived from); -1 when the id is kept as <see cref="Uuid"/>.</summary>
    public int Text { get; }

    /// <summary>Gets the index of the attribute set, or of a packed set's worker name; -1 for none.</summary>
    public int Value { get; }

    /// <summary>Gets the attempt number of a packed set; 0 when the set is not packed.</summary>
    public int Attempt { get; }

    /// <summary>Gets the index of the parts most events lack (<see cref="RareParts"/>); -1 when the event has none of them.</summary>
    public int Rare { get; }

    public short OccurredOffsetMinutes { get; }

    public short RecordedOffsetMinutes { get; }

    public EventLane Lane => (EventLane)_lane;

    /// <summary>Gets a value indicating whether the event id is its text's followed by "/start" (<see cref="StoredEventId.IsDerived"/>).</summary>
    public bool IsDerived { get; }
}

/// <summary>What few events carry, kept apart from <see cref="StoredEntry"/>: observability other than none, a task id or a payload.</summary>
/// <param name="Observability">The event's observability.</param>
/// <param name="Extras">The event's task id and payload, if any.</param>
internal sealed record RareParts(EventObservability Observability, EventExtras? Extras);
