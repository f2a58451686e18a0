using JobManagement.Tests.Support;

namespace JobManagement.Tests.Projection;

/// <summary>The projector's fold of child facts: pure, order-tolerant, and decisive only for plans that wait for children.</summary>
public sealed class JobStateChildrenTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly JobId ChildA = JobId.Parse("child-a");
    private static readonly JobId ChildB = JobId.Parse("child-b");

    private static JobPlan Waiting { get; } = new JobPlanBuilder(JobType.Parse("waiting"))
        .Expect("report.ready", e => e.CorrelatedOn("orderId"))
        .WaitForChildren()
        .Build();

    private static JobPlan ChildrenOnly { get; } = new JobPlanBuilder(JobType.Parse("children-only")).WaitForChildren().Build();

    [Fact]
    public void Project_PlanWithoutWaiting_ChildFactsOnlyUpdateChildren()
    {
        StreamBuilder stream = new StreamBuilder(TestPlans.Order).Started()
            .Fact(ChildFacts.Created(ChildA, Now))
            .Fact(ChildFacts.Completed(ChildA, JobStatus.Failed, Now));

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Running);
        sut.Failure.Should().BeNull();
        sut.Children.Should().Equal(new JobChild(ChildA, JobStatus.Failed));
    }

    [Fact]
    public void Project_WaitingPlan_SucceedsOnlyAfterEveryChildSucceeded()
    {
        StreamBuilder stream = new StreamBuilder(Waiting).Started()
            .Fact(ChildFacts.Created(ChildA, Now))
            .Fact(ChildFacts.Created(ChildB, Now))
            .Domain("ready-1", "report.ready")
            .Fact(ChildFacts.Completed(ChildA, JobStatus.Succeeded, Now));
        JobState oneLeft = stream.Project();

        JobState sut = stream.Fact(ChildFacts.Completed(ChildB, JobStatus.Succeeded, Now)).Project();

        oneLeft.Status.Should().Be(JobStatus.Running);
        sut.Status.Should().Be(JobStatus.Succeeded);
        sut.Transitions[^1].CausedBy.Sequence.Should().Be(stream.Last.Sequence);
    }

    [Theory]
    [InlineData(JobStatus.Failed)]
    [InlineData(JobStatus.Aborted)]
    public void Project_WaitingPlanChildEndsBadly_FailsNamingChild(JobStatus childStatus)
    {
        JobState sut = new StreamBuilder(Waiting).Started()
            .Fact(ChildFacts.Created(ChildA, Now))
            .Fact(ChildFacts.Completed(ChildA, childStatus, Now))
            .Project();

        sut.Status.Should().Be(JobStatus.Failed);
        sut.Failure!.Reason.Should().Be($"child job 'child-a' ended {childStatus}");
    }

    [Fact]
    public void Project_CompletedBeforeCreated_ChildKnownAndCreatedIsRecordedOnly()
    {
        JobState sut = new StreamBuilder(TestPlans.Order).Started()
            .Fact(ChildFacts.Completed(ChildA, JobStatus.Succeeded, Now))
            .Fact(ChildFacts.Created(ChildA, Now))
            .Project();

        sut.Children.Should().Equal(new JobChild(ChildA, JobStatus.Succeeded));
        sut.RecordedOnlyCount.Should().Be(1);
    }

    [Fact]
    public void Project_ChildrenOnlyPlan_NeedsAtLeastOneChild()
    {
        StreamBuilder stream = new StreamBuilder(ChildrenOnly).Started();
        JobState noChildren = stream.Project();

        JobState sut = stream.Fact(ChildFacts.Created(ChildA, Now)).Fact(ChildFacts.Completed(ChildA, JobStatus.Succeeded, Now)).Project();

        ChildrenOnly.Validate().Should().BeEmpty();
        noChildren.Status.Should().Be(JobStatus.Running);
        sut.Status.Should().Be(JobStatus.Succeeded);
    }

    [Fact]
    public void Project_EqualsIncrementalApply_OnChildStreams()
    {
        StreamBuilder stream = new StreamBuilder(Waiting)
            .Fact(ChildFacts.Created(ChildA, Now))
            .Started()
            .Fact(ChildFacts.Completed(ChildB, JobStatus.Succeeded, Now))
            .Domain("ready-1", "report.ready")
            .Fact(ChildFacts.Created(ChildB, Now))
            .Fact(ChildFacts.Completed(ChildA, JobStatus.Succeeded, Now))
            .Fact(ChildFacts.Completed(ChildA, JobStatus.Failed, Now) with { EventId = JobManagement.EventId.Parse("late-1") });

        JobState incremental = JobStateProjector.Initial(Waiting, stream.Entries[0]);
        foreach (JobEventLogEntry entry in stream.Entries.Skip(1))
        {
            incremental = JobStateProjector.Apply(Waiting, incremental, entry);
        }

        JobState sut = stream.Project();

        incremental.Should().Be(sut);
        sut.Status.Should().Be(JobStatus.Succeeded);
        sut.Children.Should().Equal(new JobChild(ChildA, JobStatus.Succeeded), new JobChild(ChildB, JobStatus.Succeeded));
    }

    [Fact]
    public void Project_SecondCompletionForSameChild_RecordedOnly()
    {
        JobState sut = new StreamBuilder(TestPlans.Order).Started()
            .Fact(ChildFacts.Completed(ChildA, JobStatus.Succeeded, Now))
            .Fact(ChildFacts.Completed(ChildA, JobStatus.Failed, Now) with { EventId = JobManagement.EventId.Parse("other-1") })
            .Project();

        sut.Children.Should().Equal(new JobChild(ChildA, JobStatus.Succeeded));
        sut.RecordedOnlyCount.Should().Be(1);
    }

    [Fact]
    public void Project_CompletionWithoutTerminalStatus_IsCorruption()
    {
        NewJobEvent bad = ChildFacts.Completed(ChildA, JobStatus.Succeeded, Now) with
        {
            Attributes = EventAttributes.CreateTrusted([KeyValuePair.Create(ReservedAttributes.Child, "child-a"), KeyValuePair.Create(ReservedAttributes.ChildStatus, "Running")]),
        };
        StreamBuilder stream = new StreamBuilder(TestPlans.Order).Started().Fact(bad);

        Action act = () => stream.Project();

        act.Should().Throw<JobJournalCorruptionException>();
    }
}
