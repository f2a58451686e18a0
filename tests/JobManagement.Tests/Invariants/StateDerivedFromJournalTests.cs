using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Invariants;

/// <summary>Invariant 1: state is derived from the journal.</summary>
public sealed class StateDerivedFromJournalTests
{
    public enum Ending
    {
        Running,
        Succeeded,
        Failed,
        Aborted,
        Compensating,
        CompensatedFailure,
    }

    [Theory]
    [InlineData(Ending.Running)]
    [InlineData(Ending.Succeeded)]
    [InlineData(Ending.Failed)]
    [InlineData(Ending.Aborted)]
    [InlineData(Ending.Compensating)]
    [InlineData(Ending.CompensatedFailure)]
    public async Task Project_SameEntriesTwice_EqualStates(Ending ending)
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine engine = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order, TestPlans.CompensatedOrder);
        JobId jobId = await DriveAsync(engine, ending);
        JobPlan plan = engine.Plans.Get((await engine.GetStateAsync(jobId))!.JobType);
        List<JobEventLogEntry> entries = await journal.ReadStreamListAsync(jobId);

        JobState first = JobStateProjector.Project(plan, entries);
        JobState second = JobStateProjector.Project(plan, entries);

        second.Should().Be(first);
        second.Should().NotBeSameAs(first);
        JobManagementJson.Serialize(second).Should().Equal(JobManagementJson.Serialize(first));
    }

    [Theory]
    [InlineData(Ending.Running)]
    [InlineData(Ending.Succeeded)]
    [InlineData(Ending.Failed)]
    [InlineData(Ending.Aborted)]
    [InlineData(Ending.Compensating)]
    [InlineData(Ending.CompensatedFailure)]
    public async Task GetStateAsync_FreshEngineOverSameJournal_ReportsEqualState(Ending ending)
    {
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        JobId jobId;
        JobState original;
        using (JobEngine first = TestEngine.Create(journal, time, TestPlans.Order, TestPlans.CompensatedOrder))
        {
            jobId = await DriveAsync(first, ending);
            original = (await first.GetStateAsync(jobId))!;
        }

        using JobEngine sut = TestEngine.Create(journal, time, TestPlans.Order, TestPlans.CompensatedOrder);
        JobState? rebuilt = await sut.GetStateAsync(jobId);

        rebuilt.Should().Be(original);
        rebuilt!.Status.Should().Be(ExpectedStatus(ending));
        rebuilt.Should().Be(await journal.ProjectAsync(sut.Plans.Get(rebuilt.JobType), jobId));
    }

    [Fact]
    public async Task GetStateAsync_FreshEngineOverSameJournal_KeepsServingAdoptedAndFannedOutEvents()
    {
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        using JobEngine first = TestEngine.Create(journal, time, TestPlans.Order, TestPlans.Invoice);
        await first.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));
        JobCreationResult order = await first.CreateJobAsync(TestEvents.Create("req-order", "order-1"));
        JobCreationResult invoice = await first.CreateJobAsync(TestEvents.Create("req-invoice", "invoice-1", jobType: TestPlans.Invoice.JobType));
        await first.IngestAsync(TestEvents.Domain("parcel-1", "parcel.delivered"));

        using JobEngine sut = TestEngine.Create(journal, time, TestPlans.Order, TestPlans.Invoice);

        (await sut.GetStateAsync(order.JobId)).Should().Be(await first.GetStateAsync(order.JobId));
        (await sut.GetStateAsync(invoice.JobId)).Should().Be(await first.GetStateAsync(invoice.JobId));
        (await sut.GetStateAsync(invoice.JobId))!.Expectations[0].Count.Should().Be(1);
    }

    private static JobStatus ExpectedStatus(Ending ending) => ending switch
    {
        Ending.Running => JobStatus.Running,
        Ending.Succeeded => JobStatus.Succeeded,
        Ending.Failed or Ending.CompensatedFailure => JobStatus.Failed,
        Ending.Aborted => JobStatus.Aborted,
        _ => JobStatus.Compensating,
    };

    /// <summary>Creates one job and drives it to the wanted status, with some surplus and unmatched traffic on the way.</summary>
    internal static async Task<JobId> DriveAsync(JobEngine engine, Ending ending)
    {
        bool compensated = ending is Ending.Compensating or Ending.CompensatedFailure;
        JobType type = compensated ? TestPlans.CompensatedOrder.JobType : TestPlans.OrderType;
        await engine.IngestAsync(TestEvents.Domain("early-pay", "payment.captured"));
        JobCreationResult created = await engine.CreateJobAsync(TestEvents.Create("req-1", "order-42", jobType: type));
        await engine.IngestAsync(TestEvents.Domain("noise-1", "newsletter.sent", jobId: "order-42"));
        await engine.IngestAsync(TestEvents.Domain("pay-2", "payment.captured"));
        switch (ending)
        {
            case Ending.Succeeded:
                await engine.IngestAsync(TestEvents.Domain("parcel-1", "parcel.delivered"));
                await engine.IngestAsync(TestEvents.Domain("parcel-2", "parcel.delivered", jobId: "order-42"));
                break;
            case Ending.Failed:
            case Ending.Compensating:
                await engine.IngestAsync(TestEvents.Domain("decline-1", "payment.declined"));
                break;
            case Ending.CompensatedFailure:
                await engine.IngestAsync(TestEvents.Domain("decline-1", "payment.declined"));
                await engine.RecordCompensationAsync(created.JobId, CompensationOutcome.Completed, "refunded", EventId.Parse("comp-1"));
                break;
            case Ending.Aborted:
                await engine.AbortAsync(created.JobId, "customer cancelled", EventId.Parse("abort-1"));
                break;
        }

        await engine.IngestAsync(TestEvents.Domain("late-1", "parcel.delivered"));
        return created.JobId;
    }
}
