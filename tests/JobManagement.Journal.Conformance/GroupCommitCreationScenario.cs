using JobManagement.Journal.Conformance.Workers;
using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance;

/// <summary>
/// One group commit holding two creations with one id, for a journal whose writer batches appends and waits
/// <c>MaxBatchWait</c> on a manual clock: the first request is held by the writer's wait, the rest join it, and
/// the clock releases them as one transaction. The later creation must see the earlier one (uncommitted, in the
/// same transaction) and be refused alone; the others of the batch commit.
/// </summary>
public static class GroupCommitCreationScenario
{
    private static readonly JobId First = JobId.Parse("job-a");
    private static readonly JobId Second = JobId.Parse("job-b");

    /// <summary>Runs the scenario on a journal whose writer waits <paramref name="batchWait"/> on <paramref name="clock"/>.</summary>
    /// <param name="sut">The journal, initialised, its writer idle.</param>
    /// <param name="clock">The journal's clock.</param>
    /// <param name="batchWait">The journal's <c>MaxBatchWait</c>.</param>
    /// <returns>A task that completes when the scenario has been checked.</returns>
    public static async Task RunAsync(IJobEventJournal sut, ManualTimeProvider clock, TimeSpan batchWait)
    {
        ArgumentNullException.ThrowIfNull(sut);
        ArgumentNullException.ThrowIfNull(clock);
        int before = (await sut.ReadAllAsync(1, 100)).Count;
        Task<AppendResult> created = sut.AppendAsync(First, ExpectedStreamVersion.NoStream, [Created("req-1"), Started("req-1-start")]).AsTask();
        await clock.WaitForTimerAsync(clock.GetUtcNow() + batchWait); // the writer holds it, waiting for more

        Task<AppendResult> elsewhere = sut.AppendAsync(Second, ExpectedStreamVersion.NoStream, [Created("req-1")]).AsTask();
        Task<AppendResult> redelivered = sut.AppendAsync(First, ExpectedStreamVersion.NoStream, [Created("req-1")]).AsTask();
        Task<AppendResult> bystander = sut.AppendAsync(JobId.Parse("job-c"), ExpectedStreamVersion.NoStream, [Created("req-2")]).AsTask();
        clock.Advance(batchWait);

        (await created.WaitAsync(TimeSpan.FromSeconds(60))).Outcomes.Should().OnlyContain(static o => !o.IsDuplicate);
        JobCreationConflictException refused = (await FluentActions.Awaiting(() => elsewhere).Should().ThrowAsync<JobCreationConflictException>()).Which;
        refused.ExistingJobId.Should().Be(First);
        refused.JobId.Should().Be(Second);
        (await redelivered).AllDuplicates.Should().BeTrue("the same creation to its own stream is a duplicate, also within the batch");
        (await bystander).StreamVersion.Should().Be(1);
        (await sut.GetStreamVersionAsync(Second)).Should().Be(0);
        (await sut.FindByEventIdAsync(EventId.Parse("req-1"))).Should().ContainSingle().Which.JobId.Should().Be(First);

        // Nothing of the refused request is remembered: its stream is still free for another creation.
        Task<AppendResult> later = sut.AppendAsync(Second, ExpectedStreamVersion.NoStream, [Created("req-3")]).AsTask();
        await clock.WaitForTimerAsync(clock.GetUtcNow() + batchWait);
        clock.Advance(batchWait);

        (await later.WaitAsync(TimeSpan.FromSeconds(60))).StreamVersion.Should().Be(1);
        (await sut.ReadAllAsync(1, 100)).Should().HaveCount(before + 4);
    }

    /// <summary>
    /// Runs the scenario's variant for an id first used by a domain event: in one group commit, a domain event
    /// in one stream, then a creation with its id in another (refused alone, naming the domain event), then the
    /// same domain event fanned out to a third stream (appended: fan-out is not constrained).
    /// </summary>
    /// <param name="sut">The journal, initialised, its writer idle.</param>
    /// <param name="clock">The journal's clock.</param>
    /// <param name="batchWait">The journal's <c>MaxBatchWait</c>.</param>
    /// <returns>A task that completes when the scenario has been checked.</returns>
    public static async Task RunDomainEventFirstAsync(IJobEventJournal sut, ManualTimeProvider clock, TimeSpan batchWait)
    {
        ArgumentNullException.ThrowIfNull(sut);
        ArgumentNullException.ThrowIfNull(clock);
        int before = (await sut.ReadAllAsync(1, 100)).Count;
        JobId domainStream = JobId.Parse("job-d");
        Task<AppendResult> domain = sut.AppendAsync(domainStream, ExpectedStreamVersion.Any, [Domain("req-9")]).AsTask();
        await clock.WaitForTimerAsync(clock.GetUtcNow() + batchWait); // the writer holds it, waiting for more

        Task<AppendResult> creation = sut.AppendAsync(Second, ExpectedStreamVersion.NoStream, [Created("req-9")]).AsTask();
        Task<AppendResult> fannedOut = sut.AppendAsync(JobId.Parse("job-e"), ExpectedStreamVersion.Any, [Domain("req-9")]).AsTask();
        Task<AppendResult> bystander = sut.AppendAsync(JobId.Parse("job-c"), ExpectedStreamVersion.NoStream, [Created("req-2")]).AsTask();
        clock.Advance(batchWait);

        (await domain.WaitAsync(TimeSpan.FromSeconds(60))).StreamVersion.Should().Be(1);
        JobCreationConflictException refused = (await FluentActions.Awaiting(() => creation).Should().ThrowAsync<JobCreationConflictException>()).Which;
        refused.ExistingJobId.Should().Be(domainStream);
        refused.ExistingEventType.Should().Be(EventTypeId.Parse("payment.captured"));
        refused.JobId.Should().Be(Second);
        (await fannedOut).Outcomes.Should().OnlyContain(static o => !o.IsDuplicate);
        (await bystander).StreamVersion.Should().Be(1);
        (await sut.GetStreamVersionAsync(Second)).Should().Be(0);
        (await sut.FindByEventIdAsync(EventId.Parse("req-9"))).Select(static e => e.JobId.Value).Should().Equal("job-d", "job-e");
        (await sut.ReadAllAsync(1, 100)).Should().HaveCount(before + 3);
    }

    /// <summary>A <c>job.created</c> execution fact (of job type <c>order</c>) carrying the event id.</summary>
    /// <param name="eventId">The creating request's id.</param>
    /// <returns>The event.</returns>
    public static NewJobEvent Created(string eventId) => Execution(eventId, ExecutionEventTypes.Created) with
    {
        Attributes = EventAttributes.CreateTrusted([KeyValuePair.Create(ReservedAttributes.JobType, "order")]),
    };

    private static NewJobEvent Started(string eventId) => Execution(eventId, ExecutionEventTypes.Started);

    private static NewJobEvent Domain(string eventId) => Execution(eventId, EventTypeId.Parse("payment.captured")) with { Lane = EventLane.Domain };

    private static NewJobEvent Execution(string eventId, EventTypeId type) => new()
    {
        EventId = EventId.Parse(eventId),
        EventType = type,
        Lane = EventLane.Execution,
        OccurredAt = DateTimeOffset.UnixEpoch,
        RecordedAt = DateTimeOffset.UnixEpoch,
    };
}
