using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Invariants;

/// <summary>Invariant 7: lanes are separate; a domain event in the reserved execution namespace is rejected, nothing appended.</summary>
public sealed class LaneSeparationTests
{
    [Theory]
    [InlineData("job.created", null)]
    [InlineData("job.started", "order-42")]
    [InlineData("job.abort-requested", "order-42")]
    [InlineData("job.compensation.completed", null)]
    [InlineData("job.deadline-expired", "order-42")]
    [InlineData("job.anything-new", null)]
    [InlineData("job.created", "not-yet-created")]
    public async Task IngestAsync_DomainEventInExecutionNamespace_RejectedNamingTypeAndAppendsNothing(string type, string? jobId)
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));
        long count = journal.Count;

        IngestResult result = await sut.IngestAsync(TestEvents.Domain("evil-1", type, jobId: jobId));

        result.IsRejected.Should().BeTrue();
        JobIngestOutcome outcome = result.Outcomes.Should().ContainSingle().Subject;
        outcome.Status.Should().Be(IngestStatus.Rejected);
        outcome.Field.Should().Be(nameof(IncomingEvent.Type));
        outcome.Reason.Should().Contain(type).And.Contain("reserved");
        journal.Count.Should().Be(count);
        (await journal.FindByEventIdAsync(EventId.Parse("evil-1"))).Should().BeEmpty();
        (await sut.GetStateAsync(created.JobId)).Should().Be(created.State);
    }

    [Fact]
    public async Task IngestAsync_RejectedThenValidEventWithSameId_AcceptedAsNew()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));
        await sut.IngestAsync(TestEvents.Domain("evt-1", "job.started"));

        IngestResult result = await sut.IngestAsync(TestEvents.Domain("evt-1", "payment.captured"));

        result.Outcomes.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Applied, "a rejected event left no trace to be a duplicate of");
    }

    [Fact]
    public void Build_PlanExpectingExecutionType_Invalid()
    {
        JobPlan plan = new JobPlanBuilder(JobType.Parse("sneaky")).Expect("job.started").Build();

        IReadOnlyList<string> problems = plan.Validate();

        problems.Should().ContainSingle().Which.Should().Contain("reserved execution namespace");
    }
}
