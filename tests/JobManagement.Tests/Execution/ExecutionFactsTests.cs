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
}
