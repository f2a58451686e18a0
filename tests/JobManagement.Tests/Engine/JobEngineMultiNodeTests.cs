using JobManagement.Journal.Conformance.Features;
using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Engine;

/// <summary>
/// Two engines over one journal, as two app instances over one shared journal: an event arriving on
/// one node while the job is being created on the other must not be lost. The interleaving is forced
/// with a journal hook, not left to the scheduler.
/// </summary>
public sealed class JobEngineMultiNodeTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task IngestAsync_JobCreatedOnOtherNodeJustBeforeEventIsParked_EventStillReachesJob(bool addressed)
    {
        var inner = new InMemoryJobEventJournal();
        var journal = new HookJournal(inner);
        var time = new ManualTimeProvider();
        using JobEngine sut = TestEngine.Create(journal, time, TestPlans.Order);
        using JobEngine otherNode = TestEngine.Create(inner, time, TestPlans.Order);
        JobCreationResult? created = null;
        journal.BeforeAppend = async (jobId, _) =>
        {
            // This node found no job and is about to park the event; the other node creates the job
            // (and scans for earlier events) right now, before the event is parked.
            if (jobId.IsUnrouted && created is null)
            {
                created = await otherNode.CreateJobAsync(TestEvents.Create("req-1", "order-42"));
            }
        };

        IngestResult result = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", jobId: addressed ? "order-42" : null));

        created.Should().NotBeNull("the hook must have run");
        JobState state = (await otherNode.GetStateAsync(created!.JobId))!;
        state.Expectations[0].Count.Should().Be(1, "nothing is dropped: the event reaches the job one way or the other");
        result.Outcomes.Should().ContainSingle().Which.Should().Match<JobIngestOutcome>(o => o.JobId == created.JobId && o.Status == IngestStatus.Applied);
        (await sut.GetStateAsync(created.JobId)).Should().Be(state);
    }

    [Fact]
    public async Task IngestAsync_SecondMatchingJobCreatedOnOtherNodeDuringFanOut_EventReachesBothJobs()
    {
        var inner = new InMemoryJobEventJournal();
        var journal = new HookJournal(inner);
        var time = new ManualTimeProvider();
        using JobEngine sut = TestEngine.Create(journal, time, TestPlans.Order, TestPlans.Invoice);
        using JobEngine otherNode = TestEngine.Create(inner, time, TestPlans.Order, TestPlans.Invoice);
        JobCreationResult order = await sut.CreateJobAsync(TestEvents.Create("req-order", "order-42"));
        JobCreationResult? invoice = null;
        journal.BeforeAppend = async (jobId, events) =>
        {
            // This node has routed the event to the order job and is appending it there; the other
            // node creates a second matching job and scans before that append lands.
            if (jobId == order.JobId && events[0].EventId == EventId.Parse("pay-1") && invoice is null)
            {
                invoice = await otherNode.CreateJobAsync(TestEvents.Create("req-invoice", "invoice-42", jobType: TestPlans.Invoice.JobType));
            }
        };

        IngestResult result = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));

        invoice.Should().NotBeNull("the hook must have run");
        result.Outcomes.Select(o => o.JobId).Should().BeEquivalentTo(new JobId?[] { order.JobId, invoice!.JobId });
        (await otherNode.GetStateAsync(invoice.JobId))!.Expectations[0].Count.Should().Be(1);
        (await sut.GetStateAsync(order.JobId))!.Expectations[0].Count.Should().Be(1);
    }

    [Fact]
    public async Task IngestAsync_NoJobCreatedWhileDelivering_RoutesOnceOtherwiseTwice()
    {
        var inner = new InMemoryJobEventJournal();
        var journal = new HookJournal(inner);
        var time = new ManualTimeProvider();
        using JobEngine sut = TestEngine.Create(journal, time, TestPlans.Order); // one plan expects the event: one index lookup per routing
        using JobEngine otherNode = TestEngine.Create(inner, time, TestPlans.Order);
        JobCreationResult order = await sut.CreateJobAsync(TestEvents.Create("req-order", "order-42"));
        int lookups = 0;
        journal.BeforeFindJobs = _ =>
        {
            lookups++;
            return Task.CompletedTask;
        };

        await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));
        lookups.Should().Be(1, "no job was created between routing and appending, so the journal's creation count lets the engine skip routing again");

        // A creation on the other node in that window is seen, and routing runs again.
        lookups = 0;
        journal.BeforeAppend = async (jobId, events) =>
        {
            if (events[0].EventId == EventId.Parse("pay-2"))
            {
                await otherNode.CreateJobAsync(TestEvents.Create("req-other", "order-43", orderId: "43"));
            }
        };
        await sut.IngestAsync(TestEvents.Domain("pay-2", "payment.captured"));
        lookups.Should().Be(2);
        (await sut.GetStateAsync(order.JobId))!.Expectations[0].Count.Should().Be(2);
    }
}
