namespace JobManagement.Journal.Conformance;

/// <summary>Idempotency by event id within a stream, conflicting duplicates, and fan-out across streams.</summary>
public abstract partial class JobEventJournalConformanceTests
{
    [SkippableFact]
    public async Task AppendAsync_SameEventIdAgain_AppendsNothingAndReturnsOriginal()
    {
        JobId job = JobId.Parse("job-1");
        NewJobEvent original = FullEvent("e1");
        JobEventLogEntry stored = (await AppendAsync(job, original)).Outcomes[0].Entry;

        AppendResult again = await AppendAsync(job, original);

        again.AllDuplicates.Should().BeTrue();
        again.StreamVersion.Should().Be(1);
        AppendOutcome outcome = again.Outcomes.Should().ContainSingle().Subject;
        outcome.IsDuplicate.Should().BeTrue();
        outcome.IsConflict.Should().BeFalse("the redelivery carries the same content as the stored entry");
        outcome.Entry.Position.Should().Be(stored.Position);
        outcome.Entry.Sequence.Should().Be(1);
        ShouldCarry(outcome.Entry, job, original);
        (await ReadAllAsync()).Should().ContainSingle();
    }

    [SkippableTheory]
    [InlineData("type")]
    [InlineData("attributes")]
    [InlineData("attributes-removed")]
    [InlineData("payload")]
    [InlineData("payload-removed")]
    [InlineData("occurred-at")]
    [InlineData("task")]
    [InlineData("lane")]
    public async Task AppendAsync_DuplicateWithDifferentContent_FlagsConflictAndKeepsOriginal(string difference)
    {
        JobId job = JobId.Parse("job-1");
        NewJobEvent original = FullEvent("e1");
        await AppendAsync(job, original);
        NewJobEvent redelivery = difference switch
        {
            "type" => original with { EventType = EventTypeId.Parse("payment.refunded") },
            "attributes" => original with { Attributes = original.Attributes.With("extra", "1") },
            "attributes-removed" => original with { Attributes = EventAttributes.Empty },
            "payload" => original with { Payload = Json("""{"amount":{"value":99,"currency":"EUR"}}""") },
            "payload-removed" => original with { Payload = null },
            "occurred-at" => original with { OccurredAt = original.OccurredAt.AddMicroseconds(1) },
            "task" => original with { TaskId = TaskId.Parse("other-task") },
            "lane" => original with { Lane = EventLane.Execution },
            _ => throw new ArgumentOutOfRangeException(nameof(difference)),
        };

        AppendResult again = await AppendAsync(job, redelivery);

        AppendOutcome outcome = again.Outcomes.Should().ContainSingle().Subject;
        outcome.IsDuplicate.Should().BeTrue();
        outcome.IsConflict.Should().BeTrue();
        ShouldCarry(outcome.Entry, job, original);
        ShouldCarry((await ReadStreamAsync(job)).Should().ContainSingle().Subject, job, original);
    }

    [SkippableTheory]
    [InlineData("recorded-at")]
    [InlineData("observability")]
    [InlineData("observability-removed")]
    [InlineData("payload-formatting")]
    [InlineData("attribute-order")]
    [InlineData("occurred-at-offset")]
    public async Task AppendAsync_DuplicateDifferingOnlyOutsideContent_IsNotConflict(string difference)
    {
        JobId job = JobId.Parse("job-1");
        NewJobEvent original = FullEvent("e1") with { Payload = Json("""{"a":1,"b":[1,2]}""") };
        await AppendAsync(job, original);
        NewJobEvent redelivery = difference switch
        {
            "recorded-at" => original with { RecordedAt = original.RecordedAt.AddHours(1) },
            "observability" => original with { Observability = new EventObservability("exec-2", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331") },
            "observability-removed" => original with { Observability = EventObservability.None },
            "payload-formatting" => original with { Payload = Json("""{ "b": [1, 2], "a": 1 }""") },
            "attribute-order" => original with { Attributes = EventAttributes.Of(("customer", original.Attributes["customer"]), ("orderId", "42")) },
            "occurred-at-offset" => original with { OccurredAt = original.OccurredAt.ToOffset(TimeSpan.FromHours(-5)) },
            _ => throw new ArgumentOutOfRangeException(nameof(difference)),
        };

        AppendResult again = await AppendAsync(job, redelivery);

        AppendOutcome outcome = again.Outcomes.Should().ContainSingle().Subject;
        outcome.IsDuplicate.Should().BeTrue();
        outcome.IsConflict.Should().BeFalse();
        ShouldCarry(outcome.Entry, job, original);
        (await ReadAllAsync()).Should().ContainSingle();
    }

    [SkippableFact]
    public async Task AppendAsync_BatchMixingDuplicatesAndNewEvents_AppendsOnlyTheNew()
    {
        JobId job = JobId.Parse("job-1");
        await AppendAsync(job, NewEvent("e1"), NewEvent("e2"));

        AppendResult result = await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(2), [NewEvent("e3"), NewEvent("e1"), NewEvent("e4"), NewEvent("e2")]);

        result.StreamVersion.Should().Be(4);
        result.Outcomes.Select(static o => (o.Entry.EventId.Value, o.IsDuplicate, o.Entry.Sequence)).Should().Equal(
            ("e3", false, 3L),
            ("e1", true, 1L),
            ("e4", false, 4L),
            ("e2", true, 2L));
        (await ReadStreamAsync(job)).Select(static e => e.EventId.Value).Should().Equal("e1", "e2", "e3", "e4");
    }

    [SkippableFact]
    public async Task AppendAsync_BatchMixingDuplicatesAndNewEventsAtWrongVersion_ThrowsAndAppendsNothing()
    {
        JobId job = JobId.Parse("job-1");
        await AppendAsync(job, NewEvent("e1"), NewEvent("e2"));

        Func<Task> act = async () => await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(1), [NewEvent("e1"), NewEvent("e3")]);

        JobConcurrencyException thrown = (await act.Should().ThrowAsync<JobConcurrencyException>()).Which;
        thrown.ActualVersion.Should().Be(2);
        (await ReadAllAsync()).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task AppendAsync_BatchRepeatingAnEventId_ThrowsArgumentExceptionAndAppendsNothing()
    {
        JobId job = JobId.Parse("job-1");

        Func<Task> act = async () => await AppendAsync(job, NewEvent("e1"), NewEvent("e2"), NewEvent("e1"));

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("events");
        (await Sut.GetStreamVersionAsync(job)).Should().Be(0);
        (await ReadAllAsync()).Should().BeEmpty();
    }

    [SkippableTheory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(5)]
    public async Task AppendAsync_AllDuplicatesBatch_DoesNotCheckExpectedVersion(long expected)
    {
        JobId job = JobId.Parse("job-1");
        await AppendAsync(job, NewEvent("e1"), NewEvent("e2"));
        ExpectedStreamVersion version = expected < 0 ? ExpectedStreamVersion.NoStream : ExpectedStreamVersion.Exactly(expected);

        AppendResult result = await Sut.AppendAsync(job, version, [NewEvent("e2"), NewEvent("e1")]);

        result.AllDuplicates.Should().BeTrue();
        result.StreamVersion.Should().Be(2);
        result.Outcomes.Select(static o => o.Entry.Sequence).Should().Equal(2, 1);
        (await ReadAllAsync()).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task AppendAsync_SameEventIdInTwoStreams_AppendsToBoth()
    {
        JobId first = JobId.Parse("job-1");
        JobId second = JobId.Parse("job-2");
        NewJobEvent shared = FullEvent("fan-out-1");

        AppendResult toFirst = await AppendAsync(first, shared);
        AppendResult toSecond = await AppendAsync(second, shared);

        toFirst.Outcomes[0].IsDuplicate.Should().BeFalse();
        toSecond.Outcomes[0].IsDuplicate.Should().BeFalse();
        toSecond.Outcomes[0].Entry.Sequence.Should().Be(1);
        toSecond.Outcomes[0].Entry.Position.Should().BeGreaterThan(toFirst.Outcomes[0].Entry.Position);
        (await ReadAllAsync()).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task FindByEventIdAsync_FannedOutEvent_ReturnsOneEntryPerStreamInPositionOrder()
    {
        JobId late = JobId.Parse("job-z");
        JobId early = JobId.Parse("job-a");
        NewJobEvent shared = FullEvent("fan-out-1");
        await AppendAsync(late, NewEvent("other"), shared);
        await AppendAsync(JobId.Unrouted, shared);
        await AppendAsync(early, shared);
        await AppendAsync(early, shared);

        IReadOnlyList<JobEventLogEntry> found = await Sut.FindByEventIdAsync(shared.EventId);

        found.Select(static e => e.JobId).Should().Equal(late, JobId.Unrouted, early);
        found.Select(static e => e.Position).Should().BeInAscendingOrder();
        found.Select(static e => e.Sequence).Should().Equal(2, 1, 1);
        found.Should().AllSatisfy(entry => ShouldCarry(entry, entry.JobId, shared));
    }

    [SkippableFact]
    public async Task FindByEventIdAsync_UnknownEventId_ReturnsEmpty()
    {
        await AppendAsync(JobId.Parse("job-1"), NewEvent("e1"));

        IReadOnlyList<JobEventLogEntry> found = await Sut.FindByEventIdAsync(EventId.Parse("never-recorded"));

        found.Should().BeEmpty();
    }
}
