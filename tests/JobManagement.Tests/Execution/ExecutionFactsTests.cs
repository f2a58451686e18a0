namespace JobManagement.Tests.Execution;

/// <summary>The attempt facts' attributes: what the projector reads, and the sets shared between entries.</summary>
public sealed class ExecutionFactsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(1_000)]
    public void AttemptOutcomes_NameTheirAttempt_AndReadBack(int attempt)
    {
        NewJobEvent succeeded = ExecutionFacts.AttemptSucceeded(EventId.Parse("s"), attempt, null, Now);
        NewJobEvent interrupted = ExecutionFacts.AttemptInterrupted(EventId.Parse("i"), attempt, Now);
        NewJobEvent failed = ExecutionFacts.AttemptFailed(EventId.Parse("f"), attempt, new ExecutionFailure("E", "m", null, []), retryAt: null, Now);

        foreach (NewJobEvent fact in new[] { succeeded, interrupted, failed })
        {
            fact.Attributes.TryGetValue(ReservedAttributes.Attempt, out string? number).Should().BeTrue();
            number.Should().Be(attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            fact.Attributes.Count.Should().Be(1);
            ExecutionFacts.ReadAttempt(fact.ToEntry(JobId.Parse("job-1"), 2, 2)).Should().Be(attempt);
        }
    }

    [Fact]
    public void AttemptOnlySets_AreShared_ForTheFirstAttempts()
    {
        // A journal keeps each entry's attribute set as long as the entry: a shared set costs nothing to keep.
        ExecutionFacts.AttemptSucceeded(EventId.Parse("a"), 2, null, Now).Attributes
            .Should().BeSameAs(ExecutionFacts.AttemptInterrupted(EventId.Parse("b"), 2, Now).Attributes);
        ExecutionFacts.AttemptSucceeded(EventId.Parse("c"), 3, null, Now).Attributes
            .Should().NotBeSameAs(ExecutionFacts.AttemptSucceeded(EventId.Parse("d"), 2, null, Now).Attributes);
    }

    [Fact]
    public void EveryFactsAttributes_AreAValidSortedSet_AsAValidatedCreationWouldMakeIt()
    {
        // The engine's facts skip the key checks and the sort (their keys are constants given in order): prove each is what the checked path makes.
        ExecutionFailure failure = new("E", "m", null, []);
        NewJobEvent[] facts =
        [
            ExecutionFacts.AttemptStarted(EventId.Parse("a"), 1, "worker-1", Now.AddSeconds(30), Now),
            ExecutionFacts.LeaseRenewed(EventId.Parse("b"), 1, Now.AddSeconds(30), Now),
            ExecutionFacts.AttemptSucceeded(EventId.Parse("c"), 40, null, Now),
            ExecutionFacts.AttemptFailed(EventId.Parse("d"), 1, failure, Now.AddSeconds(10), Now),
            ExecutionFacts.AttemptFailed(EventId.Parse("e"), 41, failure, retryAt: null, Now),
            ExecutionFacts.AttemptInterrupted(EventId.Parse("f"), 1, Now),
            ExecutionFacts.CompensationStarted(EventId.Parse("g"), 1, "worker-1", Now.AddSeconds(30), Now),
            ExecutionFacts.CompensationLeaseRenewed(EventId.Parse("h"), 1, Now.AddSeconds(30), Now),
            ExecutionFacts.CompensationEnded(EventId.Parse("i"), 1, completed: false, "refund refused", Now),
            ExecutionFacts.Progress(EventId.Parse("j"), 0.5, null, Now),
            ExecutionFacts.Progress(EventId.Parse("k"), 0.5, "half way", Now),
        ];

        foreach (NewJobEvent fact in facts)
        {
            EventAttributes checkedSet = EventAttributes.CreateTrusted(fact.Attributes.ToArray());
            fact.Attributes.Should().Equal(checkedSet, $"{fact.EventType}'s attributes are in the checked set's order");
            fact.Attributes.Equals(checkedSet).Should().BeTrue();
        }
    }

    [Fact]
    public void AFactWithAValueTooLong_IsRefused_NamingTheAttribute()
    {
        string detail = new('x', EventAttributes.MaxValueLength + 1);

        Action act = () => ExecutionFacts.CompensationEnded(EventId.Parse("i"), 1, completed: false, detail, Now);

        act.Should().Throw<ArgumentException>().WithMessage($"*{ReservedAttributes.Reason}*");
    }
}
