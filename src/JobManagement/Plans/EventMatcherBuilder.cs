namespace JobManagement;

/// <summary>Builds the correlation part of an expectation or failure rule. Every condition added must hold (all-of).</summary>
/// <typeparam name="TSelf">The concrete builder, so calls chain.</typeparam>
public abstract class EventMatcherBuilder<TSelf>
    where TSelf : EventMatcherBuilder<TSelf>
{
    private readonly List<CorrelationPredicate> _conditions = [];
    private TaskId? _taskId;

    private protected EventMatcherBuilder(EventTypeId eventType) => EventType = eventType;

    /// <summary>Gets the event type being matched.</summary>
    public EventTypeId EventType { get; }

    /// <summary>Requires the event's attribute <paramref name="key"/> to equal the job's correlation value of the same key.</summary>
    /// <param name="key">The attribute and correlation key, such as <c>orderId</c>.</param>
    /// <returns>This builder.</returns>
    public TSelf CorrelatedOn(string key) => CorrelatedOn(key, key);

    /// <summary>Requires the event's attribute to equal one of the job's correlation values.</summary>
    /// <param name="attributeKey">The event attribute.</param>
    /// <param name="jobCorrelationKey">The job's correlation key.</param>
    /// <returns>This builder.</returns>
    public TSelf CorrelatedOn(string attributeKey, string jobCorrelationKey) =>
        Add(new AttributeEqualsPredicate(attributeKey, CorrelationOperand.JobCorrelation(jobCorrelationKey)));

    /// <summary>Requires the event's attribute to equal a constant.</summary>
    /// <param name="attributeKey">The event attribute.</param>
    /// <param name="value">The required value.</param>
    /// <returns>This builder.</returns>
    public TSelf WhereAttribute(string attributeKey, string value) =>
        Add(new AttributeEqualsPredicate(attributeKey, CorrelationOperand.Constant(value)));

    /// <summary>Requires the event's attribute to be one of the values.</summary>
    /// <param name="attributeKey">The event attribute.</param>
    /// <param name="values">The accepted values.</param>
    /// <returns>This builder.</returns>
    public TSelf WhereAttributeIn(string attributeKey, params IEnumerable<string> values) =>
        Add(new AttributeInPredicate(attributeKey, [.. values]));

    /// <summary>Adds any predicate (for example one read from configuration).</summary>
    /// <param name="predicate">The predicate.</param>
    /// <returns>This builder.</returns>
    public TSelf Where(CorrelationPredicate predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return Add(predicate);
    }

    /// <summary>Only events for this task match.</summary>
    /// <param name="taskId">The task.</param>
    /// <returns>This builder.</returns>
    public TSelf ForTask(string taskId)
    {
        _taskId = TaskId.Parse(taskId);
        return (TSelf)this;
    }

    /// <summary>Builds the matcher.</summary>
    internal EventMatcher BuildMatcher() => new(
        EventType,
        _conditions.Count switch
        {
            0 => CorrelationPredicate.Always,
            1 => _conditions[0],
            _ => new AllOfPredicate([.. _conditions]),
        },
        _taskId);

    private TSelf Add(CorrelationPredicate predicate)
    {
        _conditions.Add(predicate);
        return (TSelf)this;
    }
}

/// <summary>Builds one <see cref="ExpectedEvent"/>: correlation, multiplicity, kind and name.</summary>
public sealed class ExpectedEventBuilder : EventMatcherBuilder<ExpectedEventBuilder>
{
    private string? _name;
    private ExpectationKind _kind = ExpectationKind.DomainFact;
    private Multiplicity _multiplicity = Multiplicity.ExactlyOnce;

    internal ExpectedEventBuilder(EventTypeId eventType)
        : base(eventType)
    {
    }

    /// <summary>Names the expectation (default: the event type, plus the task when one is set).</summary>
    /// <param name="name">A name unique within the plan.</param>
    /// <returns>This builder.</returns>
    public ExpectedEventBuilder Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        return this;
    }

    /// <summary>Says what kind of fact this is (for readability only).</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>This builder.</returns>
    public ExpectedEventBuilder OfKind(ExpectationKind kind)
    {
        _kind = kind;
        return this;
    }

    /// <summary>The first match satisfies; later ones are surplus (the default).</summary>
    /// <returns>This builder.</returns>
    public ExpectedEventBuilder ExactlyOnce() => WithMultiplicity(Multiplicity.ExactlyOnce);

    /// <summary>The first match satisfies; later ones count too.</summary>
    /// <returns>This builder.</returns>
    public ExpectedEventBuilder AtLeastOnce() => WithMultiplicity(Multiplicity.AtLeastOnce);

    /// <summary>Requires <paramref name="count"/> matches with distinct event ids.</summary>
    /// <param name="count">How many, 1 or more.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public ExpectedEventBuilder Times(int count) => WithMultiplicity(Multiplicity.Times(count));

    internal ExpectedEvent Build()
    {
        EventMatcher matcher = BuildMatcher();
        string name = _name ?? (matcher.TaskId is { } task ? $"{EventType}@{task}" : EventType.Value);
        return new ExpectedEvent(name, _kind, matcher, _multiplicity);
    }

    private ExpectedEventBuilder WithMultiplicity(Multiplicity multiplicity)
    {
        _multiplicity = multiplicity;
        return this;
    }
}

/// <summary>Builds one <see cref="FailureRule"/>.</summary>
public sealed class FailureRuleBuilder : EventMatcherBuilder<FailureRuleBuilder>
{
    private string? _name;

    internal FailureRuleBuilder(EventTypeId eventType)
        : base(eventType)
    {
    }

    /// <summary>Names the rule (default: the event type). The name is reported in the job's failure.</summary>
    /// <param name="name">A name unique among the plan's failure rules.</param>
    /// <returns>This builder.</returns>
    public FailureRuleBuilder Named(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _name = name;
        return this;
    }

    internal FailureRule Build() => new(_name ?? EventType.Value, BuildMatcher());
}
