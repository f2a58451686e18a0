namespace JobManagement;

/// <summary>
/// One attempt as the open fold keeps it: the fields of a <see cref="JobAttempt"/> in a struct, stored in place
/// in the builder's array. A claim and an outcome then write values into a fold that may have lived for a while,
/// instead of hanging new objects on it: a young object held only by an old fold survives every young collection
/// until the fold itself is collected, and a queue's folds are old by the time their jobs run.
/// </summary>
/// <remarks>Times are kept as ticks and offset minutes (a nullable <see cref="DateTimeOffset"/> takes 24 bytes): 56 bytes in all.</remarks>
internal readonly record struct AttemptFacts
{
    private const long None = -1;

    private readonly long _startedTicks;
    private readonly long _leaseUntilTicks;
    private readonly long _endedTicks;
    private readonly short _startedOffset;
    private readonly short _leaseUntilOffset;
    private readonly short _endedOffset;
    private readonly byte _outcome;

    public AttemptFacts(int number, string? worker, DateTimeOffset startedAt, DateTimeOffset? leaseUntil, AttemptOutcome outcome, DateTimeOffset? endedAt, ExecutionFailure? failure)
    {
        Number = number;
        Worker = worker;
        Failure = failure;
        (_startedTicks, _startedOffset) = Pack(startedAt);
        (_leaseUntilTicks, _leaseUntilOffset) = Pack(leaseUntil);
        (_endedTicks, _endedOffset) = Pack(endedAt);
        _outcome = (byte)outcome;
    }

    public int Number { get; }

    public string? Worker { get; }

    public ExecutionFailure? Failure { get; init; }

    public DateTimeOffset StartedAt => Unpack(_startedTicks, _startedOffset)!.Value;

    public DateTimeOffset? LeaseUntil
    {
        get => Unpack(_leaseUntilTicks, _leaseUntilOffset);
        init => (_leaseUntilTicks, _leaseUntilOffset) = Pack(value);
    }

    public AttemptOutcome Outcome
    {
        get => (AttemptOutcome)_outcome;
        init => _outcome = (byte)value;
    }

    public DateTimeOffset? EndedAt
    {
        get => Unpack(_endedTicks, _endedOffset);
        init => (_endedTicks, _endedOffset) = Pack(value);
    }

    public static AttemptFacts Of(JobAttempt attempt) =>
        new(attempt.Number, attempt.Worker, attempt.StartedAt, attempt.LeaseUntil, attempt.Outcome, attempt.EndedAt, attempt.Failure);

    public JobAttempt ToAttempt() => new(Number, Worker, StartedAt, LeaseUntil, Outcome, EndedAt, Failure);

    private static (long Ticks, short OffsetMinutes) Pack(DateTimeOffset? time) =>
        time is { } t ? (t.Ticks, (short)t.TotalOffsetMinutes) : (None, (short)0);

    private static DateTimeOffset? Unpack(long ticks, short offsetMinutes) =>
        ticks == None ? null : new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes));
}
