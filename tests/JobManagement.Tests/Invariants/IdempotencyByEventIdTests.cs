using System.Text.Json;
using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Invariants;

/// <summary>Invariant 3: a second delivery of an EventId appends nothing and changes no state, whatever its content.</summary>
public sealed class IdempotencyByEventIdTests
{
    public enum Variation
    {
        Identical,
        OtherType,
        FailingType,
        OtherAttributes,
        OtherPayload,
        OtherOccurredAt,
        OtherTask,
        AddressedToJob,
    }

    [Theory]
    [InlineData(Variation.Identical, false)]
    [InlineData(Variation.OtherType, true)]
    [InlineData(Variation.FailingType, true)]
    [InlineData(Variation.OtherAttributes, true)]
    [InlineData(Variation.OtherPayload, true)]
    [InlineData(Variation.OtherOccurredAt, true)]
    [InlineData(Variation.OtherTask, true)]
    [InlineData(Variation.AddressedToJob, false)]
    public async Task IngestAsync_Redelivery_AppendsNothingAndChangesNoState(Variation variation, bool expectConflict)
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));
        IncomingEvent original = TestEvents.Domain("parcel-1", "parcel.delivered", payload: JsonSerializer.SerializeToElement(new { carrier = "dhl" }));
        IngestResult first = await sut.IngestAsync(original);
        long count = journal.Count;
        JobState stateBefore = (await sut.GetStateAsync(created.JobId))!;

        IngestResult second = await sut.IngestAsync(Vary(original, variation));

        first.Outcomes.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Applied);
        second.IsDuplicate.Should().BeTrue();
        JobIngestOutcome outcome = second.Outcomes.Should().ContainSingle().Subject;
        outcome.Status.Should().Be(IngestStatus.Duplicate);
        outcome.JobId.Should().Be(created.JobId);
        outcome.IsConflict.Should().Be(expectConflict);
        outcome.Entry.Should().Be(first.Outcomes[0].Entry, "the original entry is reported");
        journal.Count.Should().Be(count);
        (await sut.GetStateAsync(created.JobId)).Should().Be(stateBefore);
    }

    [Fact]
    public async Task IngestAsync_ConflictingRedeliveryAfterFreshEngine_StillDuplicate()
    {
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        using JobEngine first = TestEngine.Create(journal, time, TestPlans.Order);
        JobCreationResult created = await first.CreateJobAsync(TestEvents.Create("req-1", "order-42"));
        await first.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));
        JobState before = (await first.GetStateAsync(created.JobId))!;
        long count = journal.Count;
        using JobEngine sut = TestEngine.Create(journal, time, TestPlans.Order);

        IngestResult result = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.declined"));

        result.Outcomes.Should().ContainSingle().Which.Should().Match<JobIngestOutcome>(o => o.Status == IngestStatus.Duplicate && o.IsConflict);
        journal.Count.Should().Be(count);
        (await sut.GetStateAsync(created.JobId)).Should().Be(before);
    }

    [Fact]
    public async Task IngestAsync_EventReachingTwoJobs_OneEntryPerJobAndDuplicateForEachOnRedelivery()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order, TestPlans.Invoice);
        JobCreationResult order = await sut.CreateJobAsync(TestEvents.Create("req-order", "order-42"));
        JobCreationResult invoice = await sut.CreateJobAsync(TestEvents.Create("req-invoice", "invoice-42", jobType: TestPlans.Invoice.JobType));
        long countBefore = journal.Count;

        IngestResult first = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));
        long countAfterFirst = journal.Count;
        JobState orderState = (await sut.GetStateAsync(order.JobId))!;
        JobState invoiceState = (await sut.GetStateAsync(invoice.JobId))!;
        IngestResult second = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));

        first.Outcomes.Select(o => (o.JobId, o.Status)).Should().BeEquivalentTo(new (JobId?, IngestStatus)[]
        {
            (order.JobId, IngestStatus.Applied),
            (invoice.JobId, IngestStatus.Applied),
        });
        countAfterFirst.Should().Be(countBefore + 2, "one entry per job reached");
        IReadOnlyList<JobEventLogEntry> copies = await journal.FindByEventIdAsync(EventId.Parse("pay-1"));
        copies.Select(e => e.JobId).Should().BeEquivalentTo(new[] { order.JobId, invoice.JobId });
        second.IsDuplicate.Should().BeTrue();
        second.Outcomes.Select(o => (o.JobId, o.Status)).Should().BeEquivalentTo(new (JobId?, IngestStatus)[]
        {
            (order.JobId, IngestStatus.Duplicate),
            (invoice.JobId, IngestStatus.Duplicate),
        });
        second.Outcomes.Should().OnlyContain(o => !o.IsConflict);
        journal.Count.Should().Be(countAfterFirst);
        (await sut.GetStateAsync(order.JobId)).Should().Be(orderState);
        (await sut.GetStateAsync(invoice.JobId)).Should().Be(invoiceState);
    }

    [Fact]
    public async Task IngestAsync_RedeliveryOfParkedEventBeforeAndAfterAdoption_Duplicate()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        IngestResult parked = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", jobId: "order-42"));
        long countParked = journal.Count;

        IngestResult beforeCreation = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", jobId: "order-42"));
        long countBeforeCreation = journal.Count;
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));
        long countAfterCreation = journal.Count;
        IngestResult afterCreation = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", jobId: "order-42"));

        parked.Outcomes.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.AwaitingJob);
        beforeCreation.Outcomes.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Duplicate);
        countBeforeCreation.Should().Be(countParked);
        created.State.Expectations[0].Count.Should().Be(1);
        afterCreation.Outcomes.Should().ContainSingle().Which.Should().Match<JobIngestOutcome>(
            o => o.Status == IngestStatus.Duplicate && o.JobId == created.JobId && !o.IsConflict);
        journal.Count.Should().Be(countAfterCreation);
    }

    [Fact]
    public async Task StartAsync_SameRequestIdTwice_SecondIsDuplicate()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42", start: false));
        JobCommandResult first = await sut.StartAsync(created.JobId, EventId.Parse("kick-1"));
        long count = journal.Count;

        JobCommandResult second = await sut.StartAsync(created.JobId, EventId.Parse("kick-1"));

        first.Status.Should().Be(IngestStatus.Applied);
        second.Status.Should().Be(IngestStatus.Duplicate);
        second.State.Should().Be(first.State);
        journal.Count.Should().Be(count);
    }

    private static IncomingEvent Vary(IncomingEvent original, Variation variation) => variation switch
    {
        Variation.Identical => original with { Observability = new EventObservability("other-exec", "trace", "span") },
        Variation.OtherType => original with { Type = EventTypeId.Parse("payment.captured") },
        Variation.FailingType => original with { Type = EventTypeId.Parse("payment.declined") },
        Variation.OtherAttributes => original with { Attributes = original.Attributes.With("carrier", "ups") },
        Variation.OtherPayload => original with { Payload = JsonSerializer.SerializeToElement(new { carrier = "ups" }) },
        Variation.OtherOccurredAt => original with { OccurredAt = original.OccurredAt.AddMinutes(1) },
        Variation.OtherTask => original with { TaskId = TaskId.Parse("ship") },
        Variation.AddressedToJob => original with { JobId = JobId.Parse("order-42") },
        _ => throw new ArgumentOutOfRangeException(nameof(variation)),
    };
}
