using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Invariants;

/// <summary>Invariant 4: terminal states are record-only; later events are appended but change no state.</summary>
public sealed class TerminalStatesRecordOnlyTests
{
    public enum Terminal
    {
        Succeeded,
        Failed,
        Aborted,
        CompensatedAbort,
    }

    [Theory]
    [InlineData(Terminal.Succeeded)]
    [InlineData(Terminal.Failed)]
    [InlineData(Terminal.Aborted)]
    [InlineData(Terminal.CompensatedAbort)]
    public async Task IngestAsync_AfterTerminal_AppendedButStateUnchanged(Terminal terminal)
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order, TestPlans.CompensatedOrder);
        (JobId jobId, JobState before) = await ReachAsync(sut, terminal);
        int historyBefore = (await sut.GetHistoryAsync(jobId)).Count;

        List<IngestStatus> statuses = [];
        foreach (IncomingEvent late in LateTraffic())
        {
            IngestResult result = await sut.IngestAsync(late);
            statuses.AddRange(result.Outcomes.Where(o => o.JobId == jobId).Select(o => o.Status));
        }

        JobState after = (await sut.GetStateAsync(jobId))!;
        before.IsTerminal.Should().BeTrue();
        statuses.Should().HaveCount(4).And.OnlyContain(s => s == IngestStatus.RecordedOnly);
        (await sut.GetHistoryAsync(jobId)).Should().HaveCount(historyBefore + 4, "late events are kept for audit");
        after.Status.Should().Be(before.Status);
        after.Expectations.Select(e => (e.Count, e.SurplusCount)).Should().Equal(before.Expectations.Select(e => (e.Count, e.SurplusCount)));
        after.Failure.Should().Be(before.Failure);
        after.AbortReason.Should().Be(before.AbortReason);
        after.Compensation.Should().Be(before.Compensation);
        after.Transitions.Should().Equal(before.Transitions);
        after.CompletedAt.Should().Be(before.CompletedAt);
        after.RecordedOnlyCount.Should().Be(before.RecordedOnlyCount + 4);
    }

    [Theory]
    [InlineData(Terminal.Succeeded)]
    [InlineData(Terminal.Failed)]
    [InlineData(Terminal.Aborted)]
    [InlineData(Terminal.CompensatedAbort)]
    public async Task Commands_AfterTerminal_RecordedOnly(Terminal terminal)
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order, TestPlans.CompensatedOrder);
        (JobId jobId, JobState before) = await ReachAsync(sut, terminal);
        long count = journal.Count;

        JobCommandResult abort = await sut.AbortAsync(jobId, "too late", EventId.Parse("late-abort"));
        JobCommandResult start = await sut.StartAsync(jobId, EventId.Parse("late-start"));
        JobCommandResult compensation = await sut.RecordCompensationAsync(jobId, CompensationOutcome.Failed, requestId: EventId.Parse("late-compensation"));

        new[] { abort.Status, start.Status, compensation.Status }.Should().OnlyContain(s => s == IngestStatus.RecordedOnly);
        journal.Count.Should().Be(count + 3);
        compensation.State.Status.Should().Be(before.Status);
        compensation.State.AbortReason.Should().Be(before.AbortReason);
        compensation.State.Compensation.Should().Be(before.Compensation);
        compensation.State.Transitions.Should().Equal(before.Transitions);
        compensation.State.RecordedOnlyCount.Should().Be(before.RecordedOnlyCount + 3);
    }

    private static IEnumerable<IncomingEvent> LateTraffic() =>
    [
        TestEvents.Domain("late-pay", "payment.captured"),
        TestEvents.Domain("late-parcel", "parcel.delivered", jobId: "order-42"),
        TestEvents.Domain("late-decline", "payment.declined"),
        TestEvents.Domain("late-other", "newsletter.sent", jobId: "order-42"),
    ];

    private static async Task<(JobId JobId, JobState State)> ReachAsync(JobEngine engine, Terminal terminal)
    {
        JobType type = terminal == Terminal.CompensatedAbort ? TestPlans.CompensatedOrder.JobType : TestPlans.OrderType;
        JobCreationResult created = await engine.CreateJobAsync(TestEvents.Create("req-1", "order-42", jobType: type));
        switch (terminal)
        {
            case Terminal.Succeeded:
                await engine.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));
                await engine.IngestAsync(TestEvents.Domain("parcel-1", "parcel.delivered"));
                await engine.IngestAsync(TestEvents.Domain("parcel-2", "parcel.delivered"));
                break;
            case Terminal.Failed:
                await engine.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));
                await engine.IngestAsync(TestEvents.Domain("decline-1", "payment.declined"));
                break;
            case Terminal.Aborted:
                await engine.AbortAsync(created.JobId, "customer cancelled", EventId.Parse("abort-1"));
                break;
            case Terminal.CompensatedAbort:
                await engine.AbortAsync(created.JobId, "customer cancelled", EventId.Parse("abort-1"));
                await engine.RecordCompensationAsync(created.JobId, CompensationOutcome.Completed, requestId: EventId.Parse("comp-1"));
                break;
        }

        return (created.JobId, (await engine.GetStateAsync(created.JobId))!);
    }
}
