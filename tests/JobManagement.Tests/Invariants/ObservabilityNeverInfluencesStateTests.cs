using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Invariants;

/// <summary>Invariant 5: observability identifiers never influence state.</summary>
public sealed class ObservabilityNeverInfluencesStateTests
{
    [Fact]
    public async Task Project_JournalWithRandomisedObservability_IdenticalState()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine engine = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        JobId jobId = await StateDerivedFromJournalTests.DriveAsync(engine, StateDerivedFromJournalTests.Ending.Succeeded);
        List<JobEventLogEntry> entries = await journal.ReadStreamListAsync(jobId);
        var random = new Random(20260101);

        JobEventLogEntry[] randomised = [.. entries.Select(e => e with { Observability = RandomObservability(random) })];
        JobState sut = JobStateProjector.Project(TestPlans.Order, randomised);

        randomised.Select(e => e.Observability).Should().NotEqual(entries.Select(e => e.Observability), "the test must really change the ids");
        sut.Should().Be(JobStateProjector.Project(TestPlans.Order, entries));
        JobManagementJson.Serialize(sut).Should().Equal(JobManagementJson.Serialize(JobStateProjector.Project(TestPlans.Order, entries)));
    }

    [Fact]
    public async Task IngestAsync_SameEventsWithDifferentObservability_IdenticalStateAndBytes()
    {
        JobState plain = await RunAsync(_ => EventObservability.None);
        var random = new Random(7);
        JobState traced = await RunAsync(_ => RandomObservability(random));

        traced.Should().Be(plain);
        JobManagementJson.Serialize(traced).Should().Equal(JobManagementJson.Serialize(plain));
    }

    [Fact]
    public async Task IngestAsync_RedeliveryWithOtherObservability_NotAConflict()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));
        await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", observability: new EventObservability("exec-1", "trace-1", "span-1")));

        IngestResult result = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", observability: new EventObservability("exec-2", "trace-2", "span-2")));

        result.Outcomes.Should().ContainSingle().Which.Should().Match<JobIngestOutcome>(o => o.Status == IngestStatus.Duplicate && !o.IsConflict);
    }

    private static async Task<JobState> RunAsync(Func<int, EventObservability> observability)
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine engine = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        await engine.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", observability: observability(0)));
        JobCreationResult created = await engine.CreateJobAsync(TestEvents.Create("req-1", "order-42") with { Observability = observability(1) });
        await engine.IngestAsync(TestEvents.Domain("parcel-1", "parcel.delivered", jobId: "order-42", observability: observability(2)));
        await engine.IngestAsync(TestEvents.Domain("pay-2", "payment.captured", observability: observability(3)));
        await engine.IngestAsync(TestEvents.Domain("parcel-2", "parcel.delivered", observability: observability(4)));
        await engine.AbortAsync(created.JobId, "after the fact", EventId.Parse("abort-1"));
        return (await engine.GetStateAsync(created.JobId))!;
    }

    private static EventObservability RandomObservability(Random random) => new(
        random.Next(3) == 0 ? null : $"exec-{random.Next():x}",
        Convert.ToHexStringLower(RandomBytes(random, 16)),
        random.Next(4) == 0 ? null : Convert.ToHexStringLower(RandomBytes(random, 8)));

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
