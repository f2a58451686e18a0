using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace JobManagement;

/// <summary>
/// The mutable counterpart of <see cref="ExpectationState"/> used while folding. Copy-on-write: it
/// starts from the state it continues and copies a list only when it adds to it, so applying one
/// entry to a job reuses everything the entry did not change (the engine folds once per event).
/// </summary>
internal sealed class ExpectationProgress
{
    private readonly ExpectationState? _from;
    private readonly ImmutableArray<EntryReference> _satisfiedByFrom;
    private readonly ImmutableArray<EntryReference> _surplusFrom;
    private List<EntryReference>? _satisfiedBy;
    private List<EntryReference>? _surplus;

    public ExpectationProgress(ExpectedEvent expectation)
    {
        Expectation = expectation;
        _satisfiedByFrom = [];
        _surplusFrom = [];
    }

    public ExpectationProgress(ExpectedEvent expectation, ExpectationState state)
    {
        Expectation = expectation;
        _from = state;
        Count = state.Count;
        SurplusCount = state.SurplusCount;
        _satisfiedByFrom = state.SatisfiedBy;
        _surplusFrom = state.Surplus;
    }

    public ExpectedEvent Expectation { get; }

    public int Count { get; private set; }

    public int SurplusCount { get; private set; }

    public bool IsSatisfied => Count >= Expectation.Multiplicity.Required;

    public void Count1(JobEventLogEntry entry)
    {
        var reference = EntryReference.Of(entry);
        Count++;
        if ((_satisfiedBy?.Count ?? _satisfiedByFrom.Length) < Expectation.Multiplicity.Required)
        {
            (_satisfiedBy ??= [.. _satisfiedByFrom]).Add(reference);
        }
        else if (Expectation.Multiplicity.Kind != MultiplicityKind.AtLeastOnce)
        {
            SurplusCount++;
            if ((_surplus?.Count ?? _surplusFrom.Length) < ExpectationState.MaxListedSurplus)
            {
                (_surplus ??= [.. _surplusFrom]).Add(reference);
            }
        }
    }

    /// <summary>Whether a state's description (name, event type, multiplicity) is the plan expectation's.</summary>
    public static bool Describes(ExpectedEvent expectation, ExpectationState state) =>
        string.Equals(state.Name, expectation.Name, StringComparison.Ordinal)
        && state.EventType == expectation.Matcher.EventType
        && state.Multiplicity == expectation.Multiplicity;

    public ExpectationState ToState()
    {
        // Unchanged, and described by the same plan expectation: the earlier state is this state.
        if (_from is not null && _satisfiedBy is null && _surplus is null
            && Count == _from.Count && SurplusCount == _from.SurplusCount
            && Describes(Expectation, _from))
        {
            return _from;
        }

        return new ExpectationState
        {
            Name = Expectation.Name,
            EventType = Expectation.Matcher.EventType,
            Multiplicity = Expectation.Multiplicity,
            Count = Count,
            SatisfiedBy = _satisfiedBy is null ? _satisfiedByFrom : ImmutableCollectionsMarshal.AsImmutableArray(_satisfiedBy.ToArray()),
            Surplus = _surplus is null ? _surplusFrom : ImmutableCollectionsMarshal.AsImmutableArray(_surplus.ToArray()),
            SurplusCount = SurplusCount,
        };
    }
}
