using System.Collections.Immutable;

namespace JobManagement;

/// <summary>The mutable counterpart of <see cref="ExpectationState"/> used while folding.</summary>
internal sealed class ExpectationProgress
{
    private readonly List<EntryReference> _satisfiedBy;
    private readonly List<EntryReference> _surplus;

    public ExpectationProgress(ExpectedEvent expectation)
    {
        Expectation = expectation;
        _satisfiedBy = [];
        _surplus = [];
    }

    public ExpectationProgress(ExpectedEvent expectation, ExpectationState state)
    {
        Expectation = expectation;
        Count = state.Count;
        SurplusCount = state.SurplusCount;
        _satisfiedBy = [.. state.SatisfiedBy];
        _surplus = [.. state.Surplus];
    }

    public ExpectedEvent Expectation { get; }

    public int Count { get; private set; }

    public int SurplusCount { get; private set; }

    public bool IsSatisfied => Count >= Expectation.Multiplicity.Required;

    public void Count1(JobEventLogEntry entry)
    {
        var reference = EntryReference.Of(entry);
        Count++;
        if (_satisfiedBy.Count < Expectation.Multiplicity.Required)
        {
            _satisfiedBy.Add(reference);
        }
        else if (Expectation.Multiplicity.Kind != MultiplicityKind.AtLeastOnce)
        {
            SurplusCount++;
            if (_surplus.Count < ExpectationState.MaxListedSurplus)
            {
                _surplus.Add(reference);
            }
        }
    }

    public ExpectationState ToState() => new()
    {
        Name = Expectation.Name,
        EventType = Expectation.Matcher.EventType,
        Multiplicity = Expectation.Multiplicity,
        Count = Count,
        SatisfiedBy = [.. _satisfiedBy],
        Surplus = [.. _surplus],
        SurplusCount = SurplusCount,
    };
}
