namespace JobManagement;

/// <summary>
/// One thing a job waits for: a predicate over events, never an event instance. Satisfied when
/// enough distinct matching events (see <see cref="Multiplicity"/>) are in the job's stream.
/// </summary>
/// <param name="Name">The expectation's name, unique within its plan (shown in state and history).</param>
/// <param name="Kind">What kind of fact it is; for readability only.</param>
/// <param name="Matcher">Which events match.</param>
/// <param name="Multiplicity">How many matches satisfy it.</param>
public sealed record ExpectedEvent(string Name, ExpectationKind Kind, EventMatcher Matcher, Multiplicity Multiplicity)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Matcher} ({Multiplicity})";
}

/// <summary>A rule that fails the job when a matching event arrives. Failure beats success.</summary>
/// <param name="Name">The rule's name, unique among the plan's failure rules (reported in the failure).</param>
/// <param name="Matcher">Which events fail the job.</param>
public sealed record FailureRule(string Name, EventMatcher Matcher)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Matcher}";
}

/// <summary>
/// Declares that a job of this plan must be compensated when it fails or is aborted: the job moves
/// to Compensating, and ends in its cause's terminal status once the compensation's outcome is
/// recorded (<see cref="JobEngine.RecordCompensationAsync"/>).
/// </summary>
/// <param name="Name">What the compensation is called (for example <c>refund-payment</c>).</param>
public sealed record CompensationPolicy(string Name);
