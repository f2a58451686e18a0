using System.Collections.Immutable;

namespace JobManagement;

/// <summary>How far one expectation of a job is satisfied, and by which entries.</summary>
public sealed record ExpectationState
{
    /// <summary>The most surplus matches listed in <see cref="Surplus"/>; <see cref="SurplusCount"/> counts them all.</summary>
    public const int MaxListedSurplus = 16;

    /// <summary>Gets the expectation's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the event type it waits for.</summary>
    public required EventTypeId EventType { get; init; }

    /// <summary>Gets its multiplicity.</summary>
    public required Multiplicity Multiplicity { get; init; }

    /// <summary>Gets how many distinct matching events have been counted.</summary>
    public required int Count { get; init; }

    /// <summary>Gets the entries that satisfied it (at most <see cref="Multiplicity.Required"/>).</summary>
    public required ImmutableArray<EntryReference> SatisfiedBy { get; init; }

    /// <summary>Gets the first surplus matches (beyond what <see cref="Multiplicity"/> requires), at most <see cref="MaxListedSurplus"/>.</summary>
    public required ImmutableArray<EntryReference> Surplus { get; init; }

    /// <summary>Gets how many surplus matches there were in all.</summary>
    public required int SurplusCount { get; init; }

    /// <summary>Gets how many matches are required.</summary>
    public int Required => Multiplicity.Required;

    /// <summary>Gets a value indicating whether the expectation is satisfied.</summary>
    public bool IsSatisfied => Count >= Multiplicity.Required;

    /// <inheritdoc />
    public bool Equals(ExpectationState? other) =>
        other is not null
        && Name == other.Name
        && EventType == other.EventType
        && Multiplicity == other.Multiplicity
        && Count == other.Count
        && SurplusCount == other.SurplusCount
        && SatisfiedBy.SequenceEqual(other.SatisfiedBy)
        && Surplus.SequenceEqual(other.Surplus);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, EventType, Count, SurplusCount);
}
