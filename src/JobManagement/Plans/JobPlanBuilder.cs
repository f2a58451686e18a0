namespace JobManagement;

/// <summary>
/// Builds a <see cref="JobPlan"/> fluently:
/// <code>
/// plan.Expect("payment.captured", e =&gt; e.CorrelatedOn("orderId"))
///     .Expect("parcel.delivered", e =&gt; e.CorrelatedOn("orderId").Times(2))
///     .FailOn("payment.declined", f =&gt; f.CorrelatedOn("orderId"))
///     .CompensateWith("refund-payment");
/// </code>
/// </summary>
public sealed class JobPlanBuilder
{
    private readonly List<ExpectedEvent> _expectations = [];
    private readonly List<FailureRule> _failOn = [];
    private CompensationPolicy? _compensation;
    private bool _waitsForChildren;

    /// <summary>Initializes a new builder for a job type.</summary>
    /// <param name="jobType">The job type.</param>
    public JobPlanBuilder(JobType jobType) => JobType = jobType;

    /// <summary>Gets the job type being planned.</summary>
    public JobType JobType { get; }

    /// <summary>Adds an expectation for events of a type.</summary>
    /// <param name="eventType">The event type, such as <c>payment.captured</c>.</param>
    /// <param name="configure">Adds correlation, multiplicity, kind or a name.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="eventType"/> breaks the naming rule.</exception>
    public JobPlanBuilder Expect(string eventType, Action<ExpectedEventBuilder>? configure = null)
    {
        var builder = new ExpectedEventBuilder(EventTypeId.Parse(eventType));
        configure?.Invoke(builder);
        _expectations.Add(builder.Build());
        return this;
    }

    /// <summary>Adds a ready-made expectation.</summary>
    /// <param name="expectation">The expectation.</param>
    /// <returns>This builder.</returns>
    public JobPlanBuilder Expect(ExpectedEvent expectation)
    {
        ArgumentNullException.ThrowIfNull(expectation);
        _expectations.Add(expectation);
        return this;
    }

    /// <summary>Adds a rule that fails the job when a matching event arrives.</summary>
    /// <param name="eventType">The event type, such as <c>payment.declined</c>.</param>
    /// <param name="configure">Adds correlation or a name.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="eventType"/> breaks the naming rule.</exception>
    public JobPlanBuilder FailOn(string eventType, Action<FailureRuleBuilder>? configure = null)
    {
        var builder = new FailureRuleBuilder(EventTypeId.Parse(eventType));
        configure?.Invoke(builder);
        _failOn.Add(builder.Build());
        return this;
    }

    /// <summary>Declares that failed or aborted jobs must be compensated before they end.</summary>
    /// <param name="name">What the compensation is called, such as <c>refund-payment</c>.</param>
    /// <returns>This builder.</returns>
    public JobPlanBuilder CompensateWith(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _compensation = new CompensationPolicy(name);
        return this;
    }

    /// <summary>
    /// Makes jobs of this plan wait for their children (jobs created with <see cref="CreateJobRequest.ParentJobId"/>):
    /// such a job cannot succeed while a child is not terminal, and fails when a child fails or is aborted.
    /// </summary>
    /// <returns>This builder.</returns>
    public JobPlanBuilder WaitForChildren()
    {
        _waitsForChildren = true;
        return this;
    }

    /// <summary>Builds the plan. It is validated when registered (or by <see cref="JobPlan.EnsureValid"/>).</summary>
    /// <returns>The plan.</returns>
    public JobPlan Build() => new(JobType, _expectations, _failOn, _compensation, _waitsForChildren);

    /// <summary>Builds the plan of a job type that runs a handler.</summary>
    internal JobPlan BuildWithHandler() => new(JobType, _expectations, _failOn, _compensation, runsHandler: true, _waitsForChildren);
}
