using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace JobManagement;

/// <summary>
/// A declarative condition over an event's attributes and the job's correlation values. Data, not
/// a lambda, so a plan can be shown, stored and compared. Pure: the result depends only on the
/// attributes and correlation values given.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "op")]
[JsonDerivedType(typeof(AlwaysPredicate), "always")]
[JsonDerivedType(typeof(AttributeEqualsPredicate), "equals")]
[JsonDerivedType(typeof(AttributeInPredicate), "in")]
[JsonDerivedType(typeof(AllOfPredicate), "all-of")]
public abstract record CorrelationPredicate
{
    private protected CorrelationPredicate()
    {
    }

    /// <summary>Gets the predicate that every event satisfies.</summary>
    public static CorrelationPredicate Always { get; } = new AlwaysPredicate();

    /// <summary>Tells whether an event's attributes satisfy the predicate for a job.</summary>
    /// <param name="attributes">The event's attributes.</param>
    /// <param name="jobCorrelation">The job's correlation values.</param>
    /// <returns>True when satisfied.</returns>
    public abstract bool Matches(EventAttributes attributes, EventAttributes jobCorrelation);

    /// <summary>Lists the conditions of the form <c>attribute == job.key</c>, which the engine uses to route events by index.</summary>
    internal abstract IEnumerable<AttributeEqualsPredicate> CorrelationEqualities();
}

/// <summary>Satisfied by every event.</summary>
public sealed record AlwaysPredicate : CorrelationPredicate
{
    /// <inheritdoc />
    public override bool Matches(EventAttributes attributes, EventAttributes jobCorrelation) => true;

    /// <inheritdoc />
    public override string ToString() => "always";

    internal override IEnumerable<AttributeEqualsPredicate> CorrelationEqualities() => [];
}

/// <summary>Satisfied when the event's attribute equals the operand (ordinal). A missing attribute or job value never matches.</summary>
/// <param name="AttributeKey">The event attribute.</param>
/// <param name="Operand">The value to compare with.</param>
public sealed record AttributeEqualsPredicate(string AttributeKey, CorrelationOperand Operand) : CorrelationPredicate
{
    /// <inheritdoc />
    public override bool Matches(EventAttributes attributes, EventAttributes jobCorrelation)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return attributes.TryGetValue(AttributeKey, out string? actual)
            && Operand.TryResolve(jobCorrelation, out string? expected)
            && string.Equals(actual, expected, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public override string ToString() => $"{AttributeKey} == {Operand}";

    internal override IEnumerable<AttributeEqualsPredicate> CorrelationEqualities() =>
        Operand.Source == CorrelationOperandSource.JobCorrelation ? [this] : [];
}

/// <summary>Satisfied when the event's attribute is one of the values (ordinal).</summary>
/// <param name="AttributeKey">The event attribute.</param>
/// <param name="Values">The accepted values.</param>
public sealed record AttributeInPredicate(string AttributeKey, ImmutableArray<string> Values) : CorrelationPredicate
{
    /// <inheritdoc />
    public override bool Matches(EventAttributes attributes, EventAttributes jobCorrelation)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        return attributes.TryGetValue(AttributeKey, out string? actual) && Values.Contains(actual, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public override string ToString() => $"{AttributeKey} in [{string.Join(", ", Values.Select(static v => $"'{v}'"))}]";

    internal override IEnumerable<AttributeEqualsPredicate> CorrelationEqualities() => [];
}

/// <summary>Satisfied when every inner predicate is.</summary>
/// <param name="Predicates">The inner predicates.</param>
public sealed record AllOfPredicate(ImmutableArray<CorrelationPredicate> Predicates) : CorrelationPredicate
{
    /// <inheritdoc />
    public override bool Matches(EventAttributes attributes, EventAttributes jobCorrelation)
    {
        foreach (CorrelationPredicate predicate in Predicates)
        {
            if (!predicate.Matches(attributes, jobCorrelation))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(" and ", Predicates);

    internal override IEnumerable<AttributeEqualsPredicate> CorrelationEqualities() =>
        Predicates.SelectMany(static predicate => predicate.CorrelationEqualities());
}
