using JobManagement.Journal.Conformance.Features;
using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Execution;

/// <summary>Parent and child jobs: the parent's stream records its children's creation and end.</summary>
public sealed class JobEngineChildrenTests
{
    /// <summary>Waits for report.ready and for every child.</summary>
    public static JobPlan Parent { get; } = new JobPlanBuilder(JobType.Parse("parent"))
        .Expect("report.ready", e => e.CorrelatedOn("orderId"))
        .WaitForChildren()
        .Build();

    [Fact]
    public async Task CreateJobAsync_WithParent_RecordsChildCreatedInParentStream()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobId parent = (await sut.CreateJobAsync(TestEvents.Create("req-p", "p-1"))).JobId;

        JobCreationResult child = await sut.CreateJobAsync(ChildOf("req-c", "c-1", parent));

        child.State.ParentJobId.Should().Be(parent);
        JobEventLogEntry fact = (await journal.ReadStreamListAsync(parent))[^1];
        fact.EventType.Should().Be(ExecutionEventTypes.ChildCreated);
        fact.Lane.Should().Be(EventLane.Execution);
        fact.Attributes[ReservedAttributes.Child].Should().Be("c-1");
        JobState parentState = (await sut.GetStateAsync(parent))!;
        parentState.Children.Should().Equal(new JobChild(JobId.Parse("c-1"), null));
        parentState.Status.Should().Be(JobStatus.Running);
    }

    [Fact]
    public async Task CreateJobAsync_SameChildRequestAgain_RecordsChildCreatedOnce()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobId parent = (await sut.CreateJobAsync(TestEvents.Create("req-p", "p-1"))).JobId;
        await sut.CreateJobAsync(ChildOf("req-c", "c-1", parent));
        long count = journal.Count;

        JobCreationResult again = await sut.CreateJobAsync(ChildOf("req-c", "c-1", parent));

        again.IsDuplicate.Should().BeTrue();
        journal.Count.Should().Be(count);
    }

    [Fact]
    public async Task CreateJobAsync_ParentDoesNotExist_ThrowsNamingParentJobIdAndAppendsNothing()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);

        Func<Task> act = async () => await sut.CreateJobAsync(ChildOf("req-c", "c-1", JobId.Parse("missing")));

        InvalidJobRequestException thrown = (await act.Should().ThrowAsync<InvalidJobRequestException>()).Which;
        thrown.Field.Should().Be(nameof(CreateJobRequest.ParentJobId));
        thrown.ParamName.Should().Be("request.ParentJobId");
        journal.Count.Should().Be(0);
    }

    [Fact]
    public async Task AbortAsync_Child_RecordsChildCompletedWithStatusInParent()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobId parent = (await sut.CreateJobAsync(TestEvents.Create("req-p", "p-1"))).JobId;
        JobId child = (await sut.CreateJobAsync(ChildOf("req-c", "c-1", parent))).JobId;

        await sut.AbortAsync(child, "not needed");

        JobEventLogEntry fact = (await journal.ReadStreamListAsync(parent))[^1];
        fact.EventType.Should().Be(ExecutionEventTypes.ChildCompleted);
        fact.Attributes[ReservedAttributes.ChildStatus].Should().Be("Aborted");
        JobState parentState = (await sut.GetStateAsync(parent))!;
        parentState.Children.Should().Equal(new JobChild(child, JobStatus.Aborted));
        parentState.Status.Should().Be(JobStatus.Running, "the order plan does not wait for children");
    }

    [Fact]
    public async Task WaitForChildren_ExpectationsMetWhileChildRuns_SucceedsOnlyWhenChildSucceeds()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order, Parent);
        JobId parent = (await sut.CreateJobAsync(TestEvents.Create("req-p", "p-1", orderId: "p", jobType: Parent.JobType))).JobId;
        await sut.CreateJobAsync(ChildOf("req-c", "c-1", parent, orderId: "c"));

        await sut.IngestAsync(TestEvents.Domain("ready-1", "report.ready", "p"));
        JobStatus whileChildRuns = (await sut.GetStateAsync(parent))!.Status;
        await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", "c"));
        await sut.IngestAsync(TestEvents.Domain("parcel-1", "parcel.delivered", "c"));
        await sut.IngestAsync(TestEvents.Domain("parcel-2", "parcel.delivered", "c"));

        whileChildRuns.Should().Be(JobStatus.Running);
        JobState done = (await sut.GetStateAsync(parent))!;
        done.Status.Should().Be(JobStatus.Succeeded);
        done.Transitions[^1].EventType.Should().Be(ExecutionEventTypes.ChildCompleted);
    }

    [Fact]
    public async Task WaitForChildren_ChildFails_ParentFailsNamingTheChild()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order, Parent);
        JobId parent = (await sut.CreateJobAsync(TestEvents.Create("req-p", "p-1", orderId: "p", jobType: Parent.JobType))).JobId;
        await sut.CreateJobAsync(ChildOf("req-c", "c-1", parent, orderId: "c"));

        await sut.IngestAsync(TestEvents.Domain("declined-1", "payment.declined", "c"));

        JobState state = (await sut.GetStateAsync(parent))!;
        state.Status.Should().Be(JobStatus.Failed);
        state.Failure!.Reason.Should().Contain("c-1").And.Contain("Failed");
        state.Failure.EventType.Should().Be(ExecutionEventTypes.ChildCompleted);
    }

    [Fact]
    public async Task SyncChildrenAsync_NotificationLostInCrash_AppendsMissingCompletionOnce()
    {
        var inner = new InMemoryJobEventJournal();
        bool losing = true;
        var journal = new HookJournal(inner)
        {
            BeforeAppend = (_, events) => losing && events[0].EventType == ExecutionEventTypes.ChildCompleted
                ? throw new InvalidOperationException("the process died")
                : Task.CompletedTask,
        };
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobId parent = (await sut.CreateJobAsync(TestEvents.Create("req-p", "p-1"))).JobId;
        JobId child = (await sut.CreateJobAsync(ChildOf("req-c", "c-1", parent))).JobId;
        await sut.AbortAsync(child, "stop");
        JobState lost = (await sut.GetStateAsync(parent))!;
        losing = false;

        await sut.SyncChildrenAsync(parent, CancellationToken.None);
        await sut.SyncChildrenAsync(parent, CancellationToken.None);

        lost.Children.Should().Equal(new JobChild(child, null));
        (await sut.GetStateAsync(parent))!.Children.Should().Equal(new JobChild(child, JobStatus.Aborted));
        (await inner.ReadStreamListAsync(parent)).Count(e => e.EventType == ExecutionEventTypes.ChildCompleted).Should().Be(1);
    }

    [Fact]
    public async Task SyncChildrenAsync_ChildCreatedFactLost_FindsChildThroughJobIndex()
    {
        var inner = new InMemoryJobEventJournal();
        bool losing = true;
        var journal = new HookJournal(inner)
        {
            BeforeAppend = (_, events) => losing && events[0].EventType == ExecutionEventTypes.ChildCreated
                ? throw new InvalidOperationException("the process died")
                : Task.CompletedTask,
        };
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobId parent = (await sut.CreateJobAsync(TestEvents.Create("req-p", "p-1"))).JobId;
        Func<Task> create = async () => await sut.CreateJobAsync(ChildOf("req-c", "c-1", parent));
        await create.Should().ThrowAsync<InvalidOperationException>();
        losing = false;

        JobState? synced = await sut.SyncChildrenAsync(parent, CancellationToken.None);

        synced!.Children.Should().Equal(new JobChild(JobId.Parse("c-1"), null));
    }

    [Fact]
    public async Task GetBatchAsync_BatchChildEndedButParentNotTold_RepairsParent()
    {
        var inner = new InMemoryJobEventJournal();
        bool losing = false;
        var journal = new HookJournal(inner)
        {
            BeforeAppend = (_, events) => losing && events[0].EventType == ExecutionEventTypes.ChildCompleted
                ? throw new InvalidOperationException("the process died")
                : Task.CompletedTask,
        };
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobId parent = (await sut.CreateJobAsync(TestEvents.Create("req-p", "p-1"))).JobId;
        BatchState batch = await sut.SubmitBatchAsync([ChildOf("item-0", "c-1", parent)], EventId.Parse("batch-1"));
        losing = true;
        await sut.AbortAsync(batch.JobIds[0], "stop");
        losing = false;
        JobState lost = (await sut.GetStateAsync(parent))!;

        await sut.GetBatchAsync(batch.BatchId);

        lost.Children.Should().Equal(new JobChild(JobId.Parse("c-1"), null));

        (await sut.GetStateAsync(parent))!.Children.Should().Equal(new JobChild(JobId.Parse("c-1"), JobStatus.Aborted));
    }

    private static CreateJobRequest ChildOf(string requestId, string jobId, JobId parent, string orderId = "42") =>
        TestEvents.Create(requestId, jobId, orderId) with { ParentJobId = parent };
}
