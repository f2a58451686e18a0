using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Projection;

/// <summary>How expectations count matches: multiplicity, surplus, one entry for several expectations, task scope.</summary>
public sealed class ExpectationStateTests
{
    private static readonly JobType Type = JobType.Parse("counting");

    [Theory]
    [InlineData(1, false, 0)]
    [InlineData(2, false, 0)]
    [InlineData(3, true, 0)]
    [InlineData(5, true, 2)]
    public void Project_TimesThree_CountsDistinctEventsAndSurplus(int delivered, bool expectedSatisfied, int expectedSurplus)
    {
        JobPlan plan = new JobPlanBuilder(Type).Expect("parcel.delivered", e => e.CorrelatedOn("orderId").Times(3)).Build();
        var stream = new StreamBuilder(plan);
        for (int i = 1; i <= delivered; i++)
        {
            stream.Domain($"parcel-{i}", "parcel.delivered");
        }

        ExpectationState sut = stream.Project().Expectations.Single();

        sut.Count.Should().Be(delivered);
        sut.Required.Should().Be(3);
        sut.SatisfiedBy.Select(r => r.EventId.Value).Should().Equal(Enumerable.Range(1, Math.Min(delivered, 3)).Select(i => $"parcel-{i}"));
        sut.IsSatisfied.Should().Be(expectedSatisfied);
        sut.SurplusCount.Should().Be(expectedSurplus);
        sut.Surplus.Select(r => r.EventId.Value).Should().Equal(Enumerable.Range(4, expectedSurplus).Select(i => $"parcel-{i}"));
    }

    [Fact]
    public void Project_ExactlyOnceWithSurplus_SurplusVisibleAndNeverFails()
    {
        JobPlan plan = new JobPlanBuilder(Type)
            .Expect("payment.captured", e => e.CorrelatedOn("orderId"))
            .Expect("parcel.delivered", e => e.CorrelatedOn("orderId"))
            .Build();
        var stream = new StreamBuilder(plan)
            .Domain("pay-1", "payment.captured")
            .Domain("pay-2", "payment.captured")
            .Domain("pay-3", "payment.captured")
            .Started();

        JobState running = stream.Project();
        JobState sut = stream.Domain("parcel-1", "parcel.delivered").Project();

        ExpectationState payment = running.Expectations[0];
        payment.Multiplicity.Should().Be(Multiplicity.ExactlyOnce);
        payment.Count.Should().Be(3);
        payment.SatisfiedBy.Should().Equal(new EntryReference(2, EventId.Parse("pay-1")));
        payment.SurplusCount.Should().Be(2);
        payment.Surplus.Should().Equal(new EntryReference(3, EventId.Parse("pay-2")), new EntryReference(4, EventId.Parse("pay-3")));
        running.Status.Should().Be(JobStatus.Running, "surplus never fails the job");
        running.Failure.Should().BeNull();
        sut.Status.Should().Be(JobStatus.Succeeded);
    }

    [Fact]
    public void Project_ManySurplus_ListCappedButCountComplete()
    {
        JobPlan plan = new JobPlanBuilder(Type).Expect("payment.captured", e => e.CorrelatedOn("orderId")).Build();
        var stream = new StreamBuilder(plan);
        int surplus = ExpectationState.MaxListedSurplus + 4;
        for (int i = 0; i <= surplus; i++)
        {
            stream.Domain($"pay-{i}", "payment.captured");
        }

        ExpectationState sut = stream.Project().Expectations.Single();

        sut.SurplusCount.Should().Be(surplus);
        sut.Surplus.Should().HaveCount(ExpectationState.MaxListedSurplus);
    }

    [Fact]
    public void Project_AtLeastOnce_LaterMatchesCountWithoutSurplus()
    {
        JobPlan plan = new JobPlanBuilder(Type).Expect("heartbeat.received", e => e.CorrelatedOn("orderId").AtLeastOnce()).Build();
        var stream = new StreamBuilder(plan)
            .Domain("hb-1", "heartbeat.received")
            .Domain("hb-2", "heartbeat.received")
            .Domain("hb-3", "heartbeat.received");

        ExpectationState sut = stream.Project().Expectations.Single();

        sut.Count.Should().Be(3);
        sut.IsSatisfied.Should().BeTrue();
        sut.SurplusCount.Should().Be(0);
        sut.Surplus.Should().BeEmpty();
        sut.SatisfiedBy.Should().Equal(new EntryReference(2, EventId.Parse("hb-1")));
    }

    [Fact]
    public void Project_OneEntryMatchingTwoExpectations_SatisfiesBoth()
    {
        JobPlan plan = new JobPlanBuilder(Type)
            .Expect("order.closed", e => e.CorrelatedOn("orderId").Named("closed-for-order"))
            .Expect("order.closed", e => e.WhereAttribute("orderId", "42").Named("closed-for-42"))
            .Build();
        var stream = new StreamBuilder(plan).Started().Domain("close-1", "order.closed");

        JobState sut = stream.Project();

        var cause = new EntryReference(3, EventId.Parse("close-1"));
        sut.Expectations.Should().OnlyContain(e => e.Count == 1 && e.SatisfiedBy.Single() == cause);
        sut.Status.Should().Be(JobStatus.Succeeded);
        sut.Transitions[^1].CausedBy.Should().Be(cause);
    }

    [Fact]
    public void Project_TaskScopedExpectation_CountsOnlyItsTask()
    {
        JobPlan plan = new JobPlanBuilder(Type)
            .Expect("task.completed", e => e.CorrelatedOn("orderId").ForTask("charge-card"))
            .Expect("task.completed", e => e.CorrelatedOn("orderId").ForTask("ship-parcel"))
            .Build();
        var stream = new StreamBuilder(plan)
            .Started()
            .Domain("done-1", "task.completed", taskId: "charge-card")
            .Domain("done-2", "task.completed", taskId: "unrelated-task")
            .Domain("done-3", "task.completed");

        JobState partial = stream.Project();
        JobState sut = stream.Domain("done-4", "task.completed", taskId: "ship-parcel").Project();

        partial.Expectations.Select(e => e.Name).Should().Equal("task.completed@charge-card", "task.completed@ship-parcel");
        partial.Expectations.Select(e => e.Count).Should().Equal(1, 0);
        partial.UnmatchedCount.Should().Be(2, "an event for another task, or for no task, matches neither task-scoped expectation");
        partial.Status.Should().Be(JobStatus.Running);
        sut.Status.Should().Be(JobStatus.Succeeded);
        sut.Expectations[1].SatisfiedBy.Should().Equal(new EntryReference(6, EventId.Parse("done-4")));
    }

    [Fact]
    public void Project_UnscopedExpectation_CountsEventsOfAnyTask()
    {
        JobPlan plan = new JobPlanBuilder(Type).Expect("task.completed", e => e.CorrelatedOn("orderId").Times(2)).Build();
        var stream = new StreamBuilder(plan).Domain("done-1", "task.completed", taskId: "a").Domain("done-2", "task.completed");

        ExpectationState sut = stream.Project().Expectations.Single();

        sut.Count.Should().Be(2);
    }

    [Fact]
    public void Times_LessThanOne_Rejected()
    {
        Action act = () => new JobPlanBuilder(Type).Expect("x.happened", e => e.Times(0));

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
