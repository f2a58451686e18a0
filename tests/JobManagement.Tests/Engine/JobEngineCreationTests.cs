using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Engine;

/// <summary>Creating jobs: idempotency on RequestId, taken job ids, validation.</summary>
public sealed class JobEngineCreationTests
{
    [Fact]
    public async Task CreateJobAsync_NewRequest_AppendsCreatedAndStarted()
    {
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        using JobEngine sut = TestEngine.Create(journal, time, TestPlans.Order);

        JobCreationResult result = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));

        result.IsDuplicate.Should().BeFalse();
        result.State.Status.Should().Be(JobStatus.Running);
        result.State.CreatedAt.Should().Be(time.GetUtcNow());
        IReadOnlyList<JobEventLogEntry> history = await sut.GetHistoryAsync(result.JobId);
        history.Select(e => (e.Sequence, e.EventType, e.Lane)).Should().Equal(
            (1L, ExecutionEventTypes.Created, EventLane.Execution),
            (2L, ExecutionEventTypes.Started, EventLane.Execution));
        history[0].EventId.Should().Be(EventId.Parse("req-1"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CreateJobAsync_ResultStateReadLater_IsTheStateTheCreationLeft(bool start)
    {
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        using JobEngine sut = TestEngine.Create(journal, time, TestPlans.Order);
        JobCreationResult result = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42", start: start));
        JobState atCreation = (await sut.GetStateAsync(result.JobId))!;

        // The job moves on before the caller reads the result's state: the result still tells what its creation left.
        time.Advance(TimeSpan.FromMinutes(1));
        await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", jobId: "order-42"));

        result.State.Should().Be(atCreation);
        result.State.Version.Should().Be(start ? 2 : 1);
        result.State.Expectations[0].Count.Should().Be(0);
        (await sut.GetStateAsync(result.JobId))!.Expectations[0].Count.Should().Be(1);
    }

    [Fact]
    public async Task CreationResult_MadeWhenRead_EqualsOneMadeWithItsState()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);
        JobCreationResult result = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));
        JobState state = (await sut.GetStateAsync(result.JobId))!;

        var withState = new JobCreationResult(result.JobId, isDuplicate: false, state);

        result.Should().Be(withState);
        result.GetHashCode().Should().Be(withState.GetHashCode());
        (result with { IsDuplicate = true }).Should().NotBe(withState);
        (JobId jobId, bool isDuplicate, JobState deconstructed, bool isDeduplicated) = result;
        (jobId, isDuplicate, deconstructed, isDeduplicated).Should().Be((result.JobId, false, state, false));
        result.ToString().Should().Contain("order-42").And.Contain("IsDuplicate = False");
    }

    [Fact]
    public async Task CreateJobAsync_WithoutJobId_GeneratesTimeOrderedId()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);

        JobCreationResult result = await sut.CreateJobAsync(TestEvents.Create("req-1"));

        Guid.TryParse(result.JobId.Value, out Guid guid).Should().BeTrue();
        guid.Version.Should().Be(7);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CreateJobAsync_SameRequestIdTwice_DuplicateWithoutNewEntries(bool withJobId)
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobCreationResult first = await sut.CreateJobAsync(TestEvents.Create("req-1", withJobId ? "order-42" : null));
        await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));
        long count = journal.Count;

        JobCreationResult second = await sut.CreateJobAsync(TestEvents.Create("req-1", withJobId ? "order-42" : null));

        second.IsDuplicate.Should().BeTrue();
        second.JobId.Should().Be(first.JobId);
        second.State.Expectations[0].Count.Should().Be(1, "the current state is returned, not the state at creation");
        journal.Count.Should().Be(count);
    }

    [Fact]
    public async Task CreateJobAsync_SameJobIdOtherRequest_ThrowsJobAlreadyExistsAndAppendsNothing()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));
        long count = journal.Count;

        Func<Task> act = async () => await sut.CreateJobAsync(TestEvents.Create("req-2", "order-42"));

        JobAlreadyExistsException thrown = (await act.Should().ThrowAsync<JobAlreadyExistsException>()).Which;
        thrown.JobId.Should().Be(JobId.Parse("order-42"));
        thrown.ExistingRequestId.Should().Be(EventId.Parse("req-1"));
        journal.Count.Should().Be(count);
    }

    [Fact]
    public async Task CreateJobAsync_RequestIdUsedByAnEvent_ThrowsNamingRequestId()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        await sut.IngestAsync(TestEvents.Domain("shared-id", "payment.captured"));

        Func<Task> act = async () => await sut.CreateJobAsync(TestEvents.Create("shared-id", "order-42"));

        (await act.Should().ThrowAsync<InvalidJobRequestException>()).Which.Field.Should().Be(nameof(CreateJobRequest.RequestId));
    }

    [Fact]
    public async Task CreateJobAsync_MissingCorrelationKey_ThrowsNamingCorrelationAndAppendsNothing()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);

        Func<Task> act = async () => await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42") with { Correlation = EventAttributes.Empty });

        InvalidJobRequestException thrown = (await act.Should().ThrowAsync<InvalidJobRequestException>()).Which;
        thrown.Field.Should().Be(nameof(CreateJobRequest.Correlation));
        thrown.Message.Should().Contain("orderId");
        journal.Count.Should().Be(0);
    }

    [Fact]
    public async Task CreateJobAsync_UnknownJobType_ThrowsJobTypeNotRegistered()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);

        Func<Task> act = async () => await sut.CreateJobAsync(TestEvents.Create("req-1", jobType: JobType.Parse("nobody-plans-this")));

        (await act.Should().ThrowAsync<JobTypeNotRegisteredException>()).Which.JobType.Should().Be(JobType.Parse("nobody-plans-this"));
    }

    [Fact]
    public async Task StartAsync_CreatedWithoutStart_MovesToRunningAndCountsEarlierEvents()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42", start: false));
        await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));
        await sut.IngestAsync(TestEvents.Domain("parcel-1", "parcel.delivered"));
        IngestResult last = await sut.IngestAsync(TestEvents.Domain("parcel-2", "parcel.delivered", jobId: "order-42"));

        JobCommandResult started = await sut.StartAsync(created.JobId, EventId.Parse("kick-1"));

        created.State.Status.Should().Be(JobStatus.Created);
        last.Outcomes.Single().JobStatus.Should().Be(JobStatus.Created, "satisfied before the kick, but not yet succeeded");
        started.Status.Should().Be(IngestStatus.Applied);
        started.State.Status.Should().Be(JobStatus.Succeeded);
        started.State.Transitions[^1].CausedBy.EventId.Should().Be(EventId.Parse("kick-1"));
    }

    [Fact]
    public async Task StartAsync_UnknownJob_ThrowsJobNotFound()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);

        Func<Task> act = async () => await sut.StartAsync(JobId.Parse("ghost"));

        (await act.Should().ThrowAsync<JobNotFoundException>()).Which.JobId.Should().Be(JobId.Parse("ghost"));
        journal.Count.Should().Be(0);
    }

    [Fact]
    public async Task AbortAsync_EmptyReason_ThrowsNamingReason()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));

        Func<Task> act = async () => await sut.AbortAsync(created.JobId, " ");

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("reason");
    }

    [Fact]
    public async Task RecordCompensationAsync_CompensatingJob_EndsInCauseWithOutcome()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.CompensatedOrder);
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42", jobType: TestPlans.CompensatedOrder.JobType));
        JobCommandResult aborted = await sut.AbortAsync(created.JobId, "customer cancelled");

        JobCommandResult result = await sut.RecordCompensationAsync(created.JobId, CompensationOutcome.Failed, "refund bounced");

        aborted.State.Status.Should().Be(JobStatus.Compensating);
        result.Status.Should().Be(IngestStatus.Applied);
        result.State.Status.Should().Be(JobStatus.Aborted);
        result.State.AbortReason.Should().Be("customer cancelled");
        result.State.Compensation!.Outcome.Should().Be(CompensationOutcome.Failed);
        result.State.Compensation.Detail.Should().Be("refund bounced");
    }
}
