using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Projection;

/// <summary>The state machine of DESIGN.md §4, driven by hand-written streams (no engine, no journal).</summary>
public sealed class JobStateProjectorTests
{
    [Fact]
    public void Project_CreatedOnly_StatusCreatedWithCreationTransition()
    {
        var stream = new StreamBuilder(TestPlans.Order);

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Created);
        sut.Version.Should().Be(1);
        sut.Correlation.Should().Equal(EventAttributes.Of(("orderId", "42")));
        sut.Transitions.Should().ContainSingle().Which.Should().Be(
            new JobTransition(null, JobStatus.Created, new EntryReference(1, EventId.Parse("created-1")), ExecutionEventTypes.Created, stream.Entries[0].RecordedAt));
        sut.StartedAt.Should().BeNull();
    }

    [Fact]
    public void Project_Started_MovesCreatedToRunning()
    {
        var stream = new StreamBuilder(TestPlans.Order).Started();

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Running);
        sut.StartedAt.Should().Be(stream.Last.RecordedAt);
        sut.Transitions[^1].Should().Be(new JobTransition(JobStatus.Created, JobStatus.Running, new EntryReference(2, EventId.Parse("start-1")), ExecutionEventTypes.Started, stream.Last.RecordedAt));
    }

    [Fact]
    public void Project_AllSatisfiedBeforeStart_CountsButSucceedsOnlyAtStart()
    {
        var stream = new StreamBuilder(TestPlans.Order)
            .Domain("pay-1", "payment.captured")
            .Domain("parcel-1", "parcel.delivered")
            .Domain("parcel-2", "parcel.delivered");

        JobState beforeStart = stream.Project();
        JobState sut = stream.Started("start-1").Project();

        beforeStart.Status.Should().Be(JobStatus.Created);
        beforeStart.AllExpectationsSatisfied.Should().BeTrue();
        beforeStart.Expectations.Select(e => e.Count).Should().Equal(1, 2);
        sut.Status.Should().Be(JobStatus.Succeeded);
        sut.Transitions.Select(t => t.To).Should().Equal(JobStatus.Created, JobStatus.Running, JobStatus.Succeeded);
        sut.Transitions[^1].CausedBy.Should().Be(new EntryReference(5, EventId.Parse("start-1")));
        sut.CompletedAt.Should().Be(stream.Last.RecordedAt);
    }

    [Fact]
    public void Project_LastExpectationSatisfiedWhileRunning_SucceedsNamingCausingEntry()
    {
        var stream = new StreamBuilder(TestPlans.Order)
            .Started()
            .Domain("parcel-1", "parcel.delivered")
            .Domain("pay-1", "payment.captured");

        JobState partial = stream.Project();
        JobState sut = stream.Domain("parcel-2", "parcel.delivered").Project();

        partial.Status.Should().Be(JobStatus.Running);
        sut.Status.Should().Be(JobStatus.Succeeded);
        JobTransition last = sut.Transitions[^1];
        last.From.Should().Be(JobStatus.Running);
        last.CausedBy.Should().Be(new EntryReference(5, EventId.Parse("parcel-2")));
        last.EventType.Should().Be(EventTypeId.Parse("parcel.delivered"));
        sut.Expectations[1].SatisfiedBy.Should().Equal(new EntryReference(3, EventId.Parse("parcel-1")), new EntryReference(5, EventId.Parse("parcel-2")));
    }

    [Fact]
    public void Project_FailureRuleMatches_FailedWithRuleAndCause()
    {
        var stream = new StreamBuilder(TestPlans.Order).Started().Domain("decline-1", "payment.declined");

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Failed);
        sut.Failure.Should().NotBeNull();
        sut.Failure!.RuleName.Should().Be("payment.declined");
        sut.Failure.CausedBy.Should().Be(new EntryReference(3, EventId.Parse("decline-1")));
        sut.Failure.EventType.Should().Be(EventTypeId.Parse("payment.declined"));
        sut.Transitions[^1].Should().Match<JobTransition>(t => t.From == JobStatus.Running && t.To == JobStatus.Failed && t.CausedBy.Sequence == 3);
        sut.CompletedAt.Should().Be(stream.Last.RecordedAt);
    }

    [Fact]
    public void Project_FailureRuleMatchesOtherCorrelation_Ignored()
    {
        var stream = new StreamBuilder(TestPlans.Order).Started().Domain("decline-1", "payment.declined", orderId: "43");

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Running);
        sut.Failure.Should().BeNull();
        sut.UnmatchedCount.Should().Be(1);
    }

    [Fact]
    public void Project_EventMatchesExpectationAndFailureRule_FailureWins()
    {
        JobPlan plan = new JobPlanBuilder(JobType.Parse("risky"))
            .Expect("payment.settled", e => e.CorrelatedOn("orderId"))
            .FailOn("payment.settled", f => f.CorrelatedOn("orderId").Named("settled-is-fatal"))
            .Build();
        var stream = new StreamBuilder(plan).Started().Domain("settle-1", "payment.settled");

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Failed);
        sut.Failure!.RuleName.Should().Be("settled-is-fatal");
        sut.Expectations[0].Count.Should().Be(0, "a failing event does not also count as success");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Project_AbortRequested_AbortedWithReason(bool started)
    {
        var stream = new StreamBuilder(TestPlans.Order);
        if (started)
        {
            stream.Started();
        }

        JobState sut = stream.AbortRequested("customer cancelled").Project();

        sut.Status.Should().Be(JobStatus.Aborted);
        sut.AbortReason.Should().Be("customer cancelled");
        sut.Transitions[^1].CausedBy.Should().Be(new EntryReference(stream.Last.Sequence, EventId.Parse("abort-1")));
        sut.Transitions[^1].EventType.Should().Be(ExecutionEventTypes.AbortRequested);
        sut.Compensation.Should().BeNull();
    }

    [Fact]
    public void Project_DeadlineExpired_FailsTheJob()
    {
        var stream = new StreamBuilder(TestPlans.Order).Started().Domain("pay-1", "payment.captured").DeadlineExpired();

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Failed);
        sut.Failure!.EventType.Should().Be(ExecutionEventTypes.DeadlineExpired);
        sut.Failure.RuleName.Should().BeNull();
        sut.Failure.CausedBy.Should().Be(new EntryReference(4, EventId.Parse("deadline-1")));
    }

    [Fact]
    public void Project_FailureWithCompensation_CompensatingThenFailedWithOutcomeCompleted()
    {
        var stream = new StreamBuilder(TestPlans.CompensatedOrder).Started().Domain("decline-1", "payment.declined");

        JobState compensating = stream.Project();
        JobState sut = stream.CompensationCompleted("refunded").Project();

        compensating.Status.Should().Be(JobStatus.Compensating);
        compensating.IsTerminal.Should().BeFalse();
        compensating.Compensation.Should().Be(new CompensationState("refund-payment", JobStatus.Failed, CompensationOutcome.Pending, null, null));
        sut.Status.Should().Be(JobStatus.Failed);
        sut.Compensation.Should().Be(new CompensationState("refund-payment", JobStatus.Failed, CompensationOutcome.Completed, "refunded", new EntryReference(4, EventId.Parse("compensation-1"))));
        sut.Failure!.RuleName.Should().Be("payment.declined");
        sut.Transitions.Select(t => t.To).Should().Equal(JobStatus.Created, JobStatus.Running, JobStatus.Compensating, JobStatus.Failed);
    }

    [Fact]
    public void Project_AbortWithCompensation_CompensatingThenAborted()
    {
        var stream = new StreamBuilder(TestPlans.CompensatedOrder).Started().AbortRequested("stop");

        JobState compensating = stream.Project();
        JobState sut = stream.CompensationCompleted().Project();

        compensating.Status.Should().Be(JobStatus.Compensating);
        compensating.Compensation!.Cause.Should().Be(JobStatus.Aborted);
        sut.Status.Should().Be(JobStatus.Aborted);
        sut.AbortReason.Should().Be("stop");
        sut.Compensation!.Outcome.Should().Be(CompensationOutcome.Completed);
        sut.Transitions.Select(t => t.To).Should().Equal(JobStatus.Created, JobStatus.Running, JobStatus.Compensating, JobStatus.Aborted);
    }

    [Fact]
    public void Project_CompensationFailed_EndsInCauseWithOutcomeFailed()
    {
        var stream = new StreamBuilder(TestPlans.CompensatedOrder).Started().Domain("decline-1", "payment.declined").CompensationFailed("refund rejected by PSP");

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Failed);
        sut.Compensation!.Outcome.Should().Be(CompensationOutcome.Failed);
        sut.Compensation.Detail.Should().Be("refund rejected by PSP");
    }

    [Fact]
    public void Project_WhileCompensating_DomainEventsAreRecordedOnly()
    {
        var stream = new StreamBuilder(TestPlans.CompensatedOrder).Started().Domain("decline-1", "payment.declined").Domain("pay-1", "payment.captured");

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Compensating);
        sut.Expectations[0].Count.Should().Be(0);
        sut.RecordedOnlyCount.Should().Be(1);
        sut.Version.Should().Be(4);
    }

    [Fact]
    public void Project_CompensationOutcomeWithoutCompensating_RecordedOnly()
    {
        var stream = new StreamBuilder(TestPlans.CompensatedOrder).Started().CompensationCompleted();

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Running);
        sut.Compensation.Should().BeNull();
        sut.RecordedOnlyCount.Should().Be(1);
    }

    [Fact]
    public void Project_FirstTerminalTransitionWins_LaterFailureAndAbortChangeNothing()
    {
        var stream = new StreamBuilder(TestPlans.Order)
            .Started()
            .Domain("pay-1", "payment.captured")
            .Domain("parcel-1", "parcel.delivered")
            .Domain("parcel-2", "parcel.delivered");
        JobState succeeded = stream.Project();

        JobState sut = stream.Domain("decline-1", "payment.declined").AbortRequested("too late").DeadlineExpired().Project();

        succeeded.Status.Should().Be(JobStatus.Succeeded);
        sut.Status.Should().Be(JobStatus.Succeeded);
        sut.Failure.Should().BeNull();
        sut.AbortReason.Should().BeNull();
        sut.Transitions.Should().Equal(succeeded.Transitions);
        sut.RecordedOnlyCount.Should().Be(3);
        sut.Version.Should().Be(8);
    }

    [Fact]
    public void Project_DomainEventOfUnknownType_CountedAsUnmatched()
    {
        var stream = new StreamBuilder(TestPlans.Order).Started().Domain("x-1", "newsletter.sent").Domain("x-2", "payment.captured", orderId: "other");

        JobState sut = stream.Project();

        sut.UnmatchedCount.Should().Be(2);
        sut.Expectations.Should().OnlyContain(e => e.Count == 0);
        sut.Status.Should().Be(JobStatus.Running);
    }

    [Fact]
    public void Project_GapInSequence_ThrowsCorruptionNamingJobAndSequence()
    {
        var stream = new StreamBuilder(TestPlans.Order).Started().Domain("pay-1", "payment.captured");
        JobEventLogEntry[] withGap = [stream.Entries[0], stream.Entries[2] with { Sequence = 3 }];

        Action act = () => JobStateProjector.Project(TestPlans.Order, withGap);

        act.Should().Throw<JobJournalCorruptionException>()
            .Where(e => e.JobId == stream.JobId && e.Sequence == 3);
    }

    [Fact]
    public void Project_StreamNotStartingWithCreated_ThrowsCorruption()
    {
        var stream = new StreamBuilder(TestPlans.Order).Started();
        JobEventLogEntry[] headless = [stream.Entries[1] with { Sequence = 1 }];

        Action act = () => JobStateProjector.Project(TestPlans.Order, headless);

        act.Should().Throw<JobJournalCorruptionException>().Where(e => e.JobId == stream.JobId && e.Sequence == 1);
    }

    [Fact]
    public void Project_CreatedNotAtSequenceOne_ThrowsCorruption()
    {
        var stream = new StreamBuilder(TestPlans.Order);
        JobEventLogEntry[] shifted = [stream.Entries[0] with { Sequence = 2 }];

        Action act = () => JobStateProjector.Project(TestPlans.Order, shifted);

        act.Should().Throw<JobJournalCorruptionException>();
    }

    [Fact]
    public void Project_EntryOfAnotherStream_ThrowsCorruption()
    {
        var stream = new StreamBuilder(TestPlans.Order).Started();
        JobEventLogEntry[] mixed = [stream.Entries[0], stream.Entries[1] with { JobId = JobId.Parse("someone-else") }];

        Action act = () => JobStateProjector.Project(TestPlans.Order, mixed);

        act.Should().Throw<JobJournalCorruptionException>().Where(e => e.Sequence == 2);
    }

    [Fact]
    public void Apply_EntryAlreadyCovered_ReturnsSameState()
    {
        var stream = new StreamBuilder(TestPlans.Order).Started().Domain("pay-1", "payment.captured");
        JobState state = stream.Project();

        JobState sut = JobStateProjector.Apply(TestPlans.Order, state, stream.Entries[2]);

        sut.Should().BeSameAs(state);
    }

    [Fact]
    public void Apply_SkippingASequence_ThrowsCorruption()
    {
        var stream = new StreamBuilder(TestPlans.Order).Started().Domain("pay-1", "payment.captured");
        JobState state = JobStateProjector.Initial(TestPlans.Order, stream.Entries[0]);

        Action act = () => JobStateProjector.Apply(TestPlans.Order, state, stream.Entries[2]);

        act.Should().Throw<JobJournalCorruptionException>().Where(e => e.Sequence == 3);
    }

    [Fact]
    public void Project_SecondStartWhileRunning_ChangesNoStatus()
    {
        var stream = new StreamBuilder(TestPlans.Order).Started("start-1").Started("start-2");

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Running);
        sut.Transitions.Should().HaveCount(2);
        sut.StartedAt.Should().Be(stream.Entries[1].RecordedAt);
        sut.RecordedOnlyCount.Should().Be(1, "the second start was recorded and changed nothing");
    }
}
