using EventId = JobManagement.EventId;

namespace JobManagement.Sqlite.Tests;

/// <summary>
/// The writer remembers stream versions and the last position between batches; these tests make sure what it
/// remembers never outlives a write by another connection (another process, modelled by a second journal on
/// the same file) and that duplicates still come back as duplicates with their conflict flag.
/// </summary>
public sealed class SqliteWriterMemoryTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AppendAsync_OtherConnectionWroteBetweenBatches_VersionsAndPositionsStayExact()
    {
        await using SqliteJobEventJournal first = _database.Open();
        await using SqliteJobEventJournal second = _database.Open();
        JobId job = JobId.Parse("job-1");

        (await first.AppendAsync(job, ExpectedStreamVersion.NoStream, [Event("a")])).StreamVersion.Should().Be(1);
        (await second.AppendAsync(job, ExpectedStreamVersion.Exactly(1), [Event("b")])).StreamVersion.Should().Be(2);

        // The first writer remembered version 1 and position 1: it must see the second's row.
        Func<Task> stale = async () => await first.AppendAsync(job, ExpectedStreamVersion.Exactly(1), [Event("c")]);
        (await stale.Should().ThrowAsync<JobConcurrencyException>()).Which.ActualVersion.Should().Be(2);
        AppendResult appended = await first.AppendAsync(job, ExpectedStreamVersion.Exactly(2), [Event("c"), Event("d")]);
        appended.StreamVersion.Should().Be(4);
        appended.Outcomes.Select(o => o.Entry.Position).Should().Equal(3L, 4L);

        AppendResult duplicate = await first.AppendAsync(job, ExpectedStreamVersion.Any, [Event("b")]);
        duplicate.Outcomes.Should().ContainSingle().Which.IsDuplicate.Should().BeTrue();
        duplicate.Outcomes[0].Entry.Position.Should().Be(2);

        IReadOnlyList<JobEventLogEntry> all = await second.ReadAllAsync(1, 100);
        all.Select(e => (e.Position, e.Sequence, e.EventId.Value)).Should().Equal((1L, 1L, "a"), (2L, 2L, "b"), (3L, 3L, "c"), (4L, 4L, "d"));
    }

    [Fact]
    public async Task AppendAsync_DuplicateAmongNewEvents_ReportsDuplicateWithConflictFlagAndAppendsTheRest()
    {
        await using SqliteJobEventJournal sut = _database.Open();
        JobId job = JobId.Parse("job-1");
        await sut.AppendAsync(job, ExpectedStreamVersion.Any, [Event("a")]);

        AppendResult result = await sut.AppendAsync(job, ExpectedStreamVersion.Any, [Event("b"), Event("a") with { EventType = EventTypeId.Parse("payment.refunded") }, Event("c")]);

        result.Outcomes.Select(o => (o.IsDuplicate, o.IsConflict)).Should().Equal((false, false), (true, true), (false, false));
        result.StreamVersion.Should().Be(3);
        (await sut.ReadAllAsync(1, 100)).Select(e => (e.Position, e.Sequence)).Should().Equal((1L, 1L), (2L, 2L), (3L, 3L));

        // A refused optimistic attempt left nothing behind: the next append continues densely.
        (await sut.AppendAsync(JobId.Parse("job-2"), ExpectedStreamVersion.NoStream, [Event("a")])).Outcomes[0].Entry.Position.Should().Be(4);
    }

    private static NewJobEvent Event(string id) => new()
    {
        EventId = EventId.Parse(id),
        EventType = EventTypeId.Parse("payment.captured"),
        Lane = EventLane.Domain,
        OccurredAt = DateTimeOffset.UnixEpoch,
        RecordedAt = DateTimeOffset.UnixEpoch,
        Attributes = EventAttributes.Of(("orderId", "42")),
    };
}
