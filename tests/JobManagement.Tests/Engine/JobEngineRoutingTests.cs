using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Engine;

/// <summary>Routing: by JobId, by correlation, events that arrive before their job, fan-out.</summary>
public sealed class JobEngineRoutingTests
{
    [Fact]
    public async Task IngestAsync_RoutedBeforeJobExists_RecordedUnmatchedThenAdoptedOnCreation()
    {
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        using JobEngine sut = TestEngine.Create(journal, time, TestPlans.Order);

        IngestResult early = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));
        time.Advance(TimeSpan.FromMinutes(5));
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));

        early.Outcomes.Should().ContainSingle().Which.Should().Match<JobIngestOutcome>(o => o.Status == IngestStatus.Unmatched && o.JobId == null);
        created.State.Expectations[0].Count.Should().Be(1);
        IReadOnlyList<JobEventLogEntry> history = await sut.GetHistoryAsync(created.JobId);
        JobEventLogEntry adopted = history.Should().ContainSingle(e => e.EventId == EventId.Parse("pay-1")).Subject;
        adopted.Lane.Should().Be(EventLane.Domain);
        adopted.OccurredAt.Should().Be(TestEvents.OccurredAt, "adoption keeps the original time");
        adopted.Attributes.Should().Equal(EventAttributes.Of(("orderId", "42")));
    }

    [Fact]
    public async Task IngestAsync_AddressedBeforeJobExists_AwaitingJobThenAdoptedOnCreation()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);

        IngestResult early = await sut.IngestAsync(TestEvents.Domain("parcel-1", "parcel.delivered", jobId: "order-42"));
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));

        JobIngestOutcome outcome = early.Outcomes.Should().ContainSingle().Subject;
        outcome.Status.Should().Be(IngestStatus.AwaitingJob);
        outcome.JobId.Should().Be(JobId.Parse("order-42"));
        JobEventLogEntry parked = (await journal.ReadStreamListAsync(JobId.Unrouted)).Should().ContainSingle().Subject;
        parked.Attributes[ReservedAttributes.TargetJob].Should().Be("order-42");
        created.State.Expectations[1].Count.Should().Be(1);
        (await sut.GetHistoryAsync(created.JobId)).Should().Contain(e => e.EventId == EventId.Parse("parcel-1"));
    }

    [Fact]
    public async Task CreateJobAsync_EarlyEventsOfBothKinds_AllCountAndJobSucceeds()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);
        await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));
        await sut.IngestAsync(TestEvents.Domain("parcel-1", "parcel.delivered", jobId: "order-42"));
        await sut.IngestAsync(TestEvents.Domain("parcel-2", "parcel.delivered"));

        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));

        created.State.Status.Should().Be(JobStatus.Succeeded);
        created.State.Expectations.Select(e => e.Count).Should().Equal(1, 2);
    }

    [Fact]
    public async Task CreateJobAsync_EarlyEventAddressedToAnotherJob_NotAdoptedDespiteSameCorrelation()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);
        await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", jobId: "order-other"));

        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));

        created.State.Expectations[0].Count.Should().Be(0);
        (await sut.GetHistoryAsync(created.JobId)).Should().NotContain(e => e.EventId == EventId.Parse("pay-1"));
    }

    [Fact]
    public async Task CreateJobAsync_EarlyEventOfOtherCorrelation_NotAdopted()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);
        await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", orderId: "43"));

        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));

        created.State.Expectations[0].Count.Should().Be(0);
        created.State.Version.Should().Be(2);
    }

    [Fact]
    public async Task IngestAsync_AddressedEventOfUnknownType_RecordedAsUnmatched()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));

        IngestResult result = await sut.IngestAsync(TestEvents.Domain("news-1", "newsletter.sent", jobId: "order-42"));

        result.Outcomes.Should().ContainSingle().Which.Should().Match<JobIngestOutcome>(o => o.Status == IngestStatus.Unmatched && o.JobId == created.JobId);
        (await sut.GetStateAsync(created.JobId))!.UnmatchedCount.Should().Be(1);
    }

    [Fact]
    public async Task CreateJobAsync_EarlyEventFannedOutToExistingJob_AlsoAdoptedByLaterJob()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order, TestPlans.Invoice);
        JobCreationResult order = await sut.CreateJobAsync(TestEvents.Create("req-order", "order-42"));
        await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));

        JobCreationResult invoice = await sut.CreateJobAsync(TestEvents.Create("req-invoice", "invoice-42", jobType: TestPlans.Invoice.JobType));
        IngestResult redelivery = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));

        invoice.State.Expectations[0].Count.Should().Be(1, "nothing is dropped: a job created later adopts what it expects");
        (await journal.FindByEventIdAsync(EventId.Parse("pay-1"))).Select(e => e.JobId).Should().Equal(order.JobId, invoice.JobId);
        redelivery.Outcomes.Select(o => o.JobId).Should().BeEquivalentTo(new JobId?[] { order.JobId, invoice.JobId });
    }

    [Fact]
    public async Task IngestAsync_TwoJobsSameTypeSameCorrelation_EventReachesBoth()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);
        JobCreationResult a = await sut.CreateJobAsync(TestEvents.Create("req-a", "order-a"));
        JobCreationResult b = await sut.CreateJobAsync(TestEvents.Create("req-b", "order-b"));
        JobCreationResult other = await sut.CreateJobAsync(TestEvents.Create("req-c", "order-c", orderId: "7"));

        IngestResult result = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));

        result.Outcomes.Select(o => o.JobId).Should().BeEquivalentTo(new JobId?[] { a.JobId, b.JobId });
        (await sut.GetStateAsync(other.JobId))!.Expectations[0].Count.Should().Be(0);
    }

    [Fact]
    public async Task IngestAsync_BadInput_RejectedNamingFieldAndAppendsNothing()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);

        IngestResult noTime = await sut.IngestAsync(TestEvents.Domain("e-1", "payment.captured") with { OccurredAt = default });
        IngestResult reservedKey = await sut.IngestAsync(TestEvents.Domain("e-2", "payment.captured") with { Attributes = EventAttributes.CreateTrusted([KeyValuePair.Create("job.target", "x")]) });
        IngestResult unrouted = await sut.IngestAsync(TestEvents.Domain("e-3", "payment.captured") with { JobId = JobId.Unrouted });

        noTime.Outcomes.Single().Field.Should().Be(nameof(IncomingEvent.OccurredAt));
        reservedKey.Outcomes.Single().Field.Should().Be(nameof(IncomingEvent.Attributes));
        unrouted.Outcomes.Single().Field.Should().Be(nameof(IncomingEvent.JobId));
        new[] { noTime, reservedKey, unrouted }.Should().OnlyContain(r => r.IsRejected);
        journal.Count.Should().Be(0);
    }
}
