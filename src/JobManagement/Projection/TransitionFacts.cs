namespace JobManagement;

/// <summary>
/// One change of status as the open fold keeps it: the fields of a <see cref="JobTransition"/> in a struct, stored in
/// place in the builder's array (see <see cref="AttemptFacts"/> for why), made a record only when a state is.
/// </summary>
/// <remarks>The time is kept as ticks and offset minutes, the statuses as bytes: 40 bytes in all.</remarks>
internal readonly record struct TransitionFacts
{
    private const sbyte NoStatus = -1;

    private readonly long _atTicks;
    private readonly short _atOffset;
    private readonly sbyte _from;
    private readonly byte _to;

    public TransitionFacts(JobStatus? from, JobStatus to, EntryReference causedBy, EventTypeId eventType, DateTimeOffset at)
    {
        _from = from is { } status ? (sbyte)status : NoStatus;
        _to = (byte)to;
        CausedBy = causedBy;
        EventType = eventType;
        _atTicks = at.Ticks;
        _atOffset = (short)at.TotalOffsetMinutes;
    }

    public JobStatus? From => _from == NoStatus ? null : (JobStatus)_from;

    public JobStatus To => (JobStatus)_to;

    public EntryReference CausedBy { get; }

    public EventTypeId EventType { get; }

    public DateTimeOffset At => new(_atTicks, TimeSpan.FromMinutes(_atOffset));

    public static TransitionFacts Of(JobTransition transition) =>
        new(transition.From, transition.To, transition.CausedBy, transition.EventType, transition.At);

    public JobTransition ToTransition() => new(From, To, CausedBy, EventType, At);
}
