using System.Reflection;
using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Invariants;

/// <summary>Invariant 6: the JobEngine is the semantic boundary; the journal stores, it never interprets.</summary>
public sealed class EngineIsSemanticBoundaryTests
{
    [Fact]
    public async Task AppendAsync_MatchingEventWrittenStraightToJournal_RoutesNothing()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine engine = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobCreationResult created = await engine.CreateJobAsync(TestEvents.Create("req-1", "order-42"));
        long jobVersion = await journal.GetStreamVersionAsync(created.JobId);

        AppendResult sut = await journal.AppendAsync(JobId.Unrouted, ExpectedStreamVersion.Any, [Raw("pay-1", "payment.captured", EventLane.Domain)]);

        sut.JobId.Should().Be(JobId.Unrouted);
        (await journal.GetStreamVersionAsync(created.JobId)).Should().Be(jobVersion, "the journal does not route events to jobs");
        (await engine.GetStateAsync(created.JobId)).Should().Be(created.State);
        (await journal.FindByEventIdAsync(EventId.Parse("pay-1"))).Should().ContainSingle().Which.JobId.Should().Be(JobId.Unrouted);
    }

    [Fact]
    public async Task AppendAsync_ReservedTypeInDomainLane_StoredAsGivenWithoutJudgement()
    {
        // The journal is not job-aware: refusing execution types is the engine's decision (see LaneSeparationTests).
        var sut = new InMemoryJobEventJournal();

        AppendResult result = await sut.AppendAsync(JobId.Parse("anything"), ExpectedStreamVersion.Any, [Raw("x-1", "job.started", EventLane.Domain)]);

        result.Outcomes.Should().ContainSingle().Which.Entry.Should().Match<JobEventLogEntry>(e => e.Lane == EventLane.Domain && e.EventType == ExecutionEventTypes.Started);
        (await sut.FindJobsAsync(new JobLookup(TestPlans.OrderType))).Should().BeEmpty("only job.created entries make jobs");
    }

    [Fact]
    public void IncomingEvent_CallerCannotChooseTheLane()
    {
        PropertyInfo[] properties = typeof(IncomingEvent).GetProperties();

        properties.Select(p => p.PropertyType).Should().NotContain(typeof(EventLane));
        properties.Select(p => p.Name).Should().NotContain(nameof(JobEventLogEntry.Lane));
    }

    [Fact]
    public async Task IngestAsync_AnyMixOfDeliveries_OnlyEngineWritesExecutionLane()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order, TestPlans.Invoice, TestPlans.CompensatedOrder);
        HashSet<EventId> domainIds = [];
        var random = new Random(6);
        string[] types = ["payment.captured", "parcel.delivered", "payment.declined", "invoice.sent", "newsletter.sent"];
        for (int i = 0; i < 60; i++)
        {
            if (i % 15 == 5)
            {
                await sut.CreateJobAsync(TestEvents.Create($"req-{i}", $"job-{i % 4}", orderId: $"{i % 3}", jobType: TestPlans.Order.JobType));
            }

            IncomingEvent incoming = TestEvents.Domain($"evt-{i}", types[random.Next(types.Length)], orderId: $"{random.Next(3)}", jobId: random.Next(3) == 0 ? $"job-{random.Next(4)}" : null);
            domainIds.Add(incoming.EventId);
            await sut.IngestAsync(incoming);
        }

        IReadOnlyList<JobEventLogEntry> all = await journal.ReadEverythingAsync();
        all.Where(e => domainIds.Contains(e.EventId)).Should().NotBeEmpty().And.OnlyContain(e => e.Lane == EventLane.Domain && !e.EventType.IsExecution);
        all.Where(e => e.Lane == EventLane.Execution).Should().NotBeEmpty().And.OnlyContain(e => e.EventType.IsExecution && !domainIds.Contains(e.EventId));
    }

    private static NewJobEvent Raw(string eventId, string type, EventLane lane) => new()
    {
        EventId = EventId.Parse(eventId),
        EventType = EventTypeId.Parse(type),
        Lane = lane,
        OccurredAt = TestEvents.OccurredAt,
        RecordedAt = TestEvents.OccurredAt,
        Attributes = EventAttributes.Of(("orderId", "42")),
    };
}
