using System.Text.Json;

namespace JobManagement.Tests.Journal;

/// <summary>
/// The in-memory journal keeps entries as plain-data records in chunks of native memory, names them by index,
/// and keeps what they refer to in columns; these tests cover what the conformance suite does not reach: chunk
/// boundaries, the per-event-id chains across many streams, objects shared between entries, and exact timestamps
/// (offset included) after packing.
/// </summary>
public sealed class InMemoryEntryStorageTests
{
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(-7)).AddTicks(4_321);

    [Fact]
    public void EntryRecord_IsPlainDataWithoutPadding()
    {
        // A reference inside would have to live on the collector's heap; the record is laid out to 88 bytes, no more.
        System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<StoredEntry>().Should().BeFalse();
        StoredEntries.EntryBytes.Should().Be(88);
    }

    [Fact]
    public async Task ObjectsSharedByEntries_ReadBackPerEntryAndDistinctOnesStayDistinct()
    {
        // The columns give an object stored again soon after the same slot (recognised by reference among the last
        // eight): entries sharing an attribute set or a worker's name must still read back as their own.
        var journal = new InMemoryJobEventJournal();
        EventAttributes shared = EventAttributes.Of(("orderId", "o-shared"));
        var expected = new List<(JobId Job, NewJobEvent Event)>();
        for (int i = 0; i < 40; i++)
        {
            JobId job = JobId.Parse($"job-{i % 4}");
            EventAttributes attributes = i % 3 == 0 ? shared : i % 10 == 1 ? EventAttributes.Empty : EventAttributes.Of(("orderId", $"o-{i}"));
            NewJobEvent next = Event(1_000 + i) with { Attributes = attributes };
            expected.Add((job, next));
            await journal.AppendAsync(job, ExpectedStreamVersion.Any, next);
        }

        IReadOnlyList<JobEventLogEntry> all = await journal.ReadAllAsync(1, 100);
        all.Select(e => e.JobId).Should().Equal(expected.Select(e => e.Job));
        all.Select(e => e.Attributes).Should().Equal(expected.Select(e => e.Event.Attributes));
        all.Select(e => e.EventId).Should().Equal(expected.Select(e => e.Event.EventId));
    }

    [Fact]
    public async Task ObservabilityAndExtras_RoundTripWhetherNoneOrSet()
    {
        var journal = new InMemoryJobEventJournal();
        JobId job = JobId.Parse("job-observed");
        var traced = new EventObservability("exec-1", "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
        NewJobEvent[] events =
        [
            Event(1),
            Event(2) with { Observability = traced },
            Event(3) with { Observability = new EventObservability() }, // equal to None, another instance
            Event(4) with { Observability = traced, TaskId = TaskId.Parse("t-4") },
        ];
        await journal.AppendAsync(job, ExpectedStreamVersion.NoStream, events);

        List<JobEventLogEntry> read = await journal.ReadStreamAsync(job).ToListAsync();
        read.Select(e => e.Observability).Should().Equal(EventObservability.None, traced, EventObservability.None, traced);
        read.Select(e => e.TaskId?.Value).Should().Equal(null, null, null, "t-4");
        read.Should().BeEquivalentTo(events.Select((e, i) => e.ToEntry(job, i + 1, i + 1)));
    }

    [Fact]
    public async Task ManyEntriesAcrossChunks_ReadBackWithTheirFieldsPositionsAndSequences()
    {
        var journal = new InMemoryJobEventJournal();
        const int Count = 10_000; // the first chunk grows to 4,096 entries, then two more chunks
        var streams = new[] { JobId.Parse("job-a"), JobId.Parse("job-b"), JobId.Parse("job-c") };
        var expected = new List<NewJobEvent>();
        for (int i = 0; i < Count; i++)
        {
            NewJobEvent next = Event(i);
            expected.Add(next);
            await journal.AppendAsync(streams[i % 3], ExpectedStreamVersion.Any, next);
        }

        var all = new List<JobEventLogEntry>();
        for (long from = 1; from <= Count; from += 777)
        {
            all.AddRange(await journal.ReadAllAsync(from, 777));
        }

        all.Should().HaveCount(Count);
        for (int i = 0; i < Count; i++)
        {
            JobEventLogEntry entry = all[i];
            entry.Position.Should().Be(i + 1);
            entry.JobId.Should().Be(streams[i % 3]);
            entry.Sequence.Should().Be((i / 3) + 1);
            entry.Should().BeEquivalentTo(expected[i].ToEntry(streams[i % 3], (i / 3) + 1, i + 1));
            entry.OccurredAt.EqualsExact(expected[i].OccurredAt).Should().BeTrue("the offset is kept, not only the instant");
            entry.RecordedAt.EqualsExact(expected[i].RecordedAt).Should().BeTrue();
        }

        List<JobEventLogEntry> streamB = await journal.ReadStreamAsync(streams[1], 1_000).ToListAsync();
        streamB.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1_000, (Count / 3) - 999 + (Count % 3 > 1 ? 1 : 0)).Select(s => (long)s));
        streamB.Select(e => e.Position).Should().Equal(streamB.Select(e => (3 * e.Sequence) - 1), "a stream is a chain through its own entries, walked back from its end");
        (await journal.GetStreamVersionAsync(streams[1])).Should().Be(streamB[^1].Sequence);
        (await journal.ReadStreamAsync(streams[2], 1).ToListAsync()).Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, Count / 3).Select(s => (long)s));
    }

    [Fact]
    public async Task ManyStreams_EachKeepsItsVersionAndEntries_AsTheStreamMapGrows()
    {
        // The stream map is open addressing over slots that name each stream's id by index: it grows many times here,
        // and every stream must still be found by its id (and only by its id: the ids differ in one character).
        var journal = new InMemoryJobEventJournal();
        var streams = Enumerable.Range(0, 12_000).Select(i => JobId.Parse($"job-{i:D6}")).ToArray();
        for (int i = 0; i < streams.Length; i++)
        {
            await journal.AppendAsync(streams[i], ExpectedStreamVersion.NoStream, Event(10 * i));
        }

        for (int i = 0; i < streams.Length; i += 3)
        {
            await journal.AppendAsync(streams[i], ExpectedStreamVersion.Exactly(1), Event((10 * i) + 1));
        }

        for (int i = 0; i < streams.Length; i++)
        {
            (await journal.GetStreamVersionAsync(streams[i])).Should().Be(i % 3 == 0 ? 2 : 1);
        }

        (await journal.GetStreamVersionAsync(JobId.Parse("job-012000"))).Should().Be(0);
        (await journal.ReadStreamAsync(JobId.Parse("job-x")).ToListAsync()).Should().BeEmpty();
        List<JobEventLogEntry> read = await journal.ReadStreamAsync(streams[9_999]).ToListAsync();
        read.Select(e => e.EventId).Should().Equal(Event(99_990).EventId, Event(99_991).EventId);
        read.Should().OnlyContain(e => e.JobId == streams[9_999]);
        await FluentActions.Awaiting(async () => await journal.AppendAsync(streams[4], ExpectedStreamVersion.NoStream, Event(1_000_000)))
            .Should().ThrowAsync<JobConcurrencyException>("the stream exists: its tail is found by its id");
    }

    [Fact]
    public async Task EventIdFannedOutToManyStreams_IsFoundOncePerStreamInPositionOrderAndIsADuplicateInEach()
    {
        var journal = new InMemoryJobEventJournal();
        NewJobEvent shared = Event(1);
        var streams = Enumerable.Range(0, 3_000).Select(i => JobId.Parse($"job-{i}")).ToArray();
        foreach (JobId stream in streams)
        {
            await journal.AppendAsync(stream, ExpectedStreamVersion.Any, Event(2 + stream.GetHashCode()));
            await journal.AppendAsync(stream, ExpectedStreamVersion.Any, shared);
        }

        IReadOnlyList<JobEventLogEntry> found = await journal.FindByEventIdAsync(shared.EventId);
        found.Select(e => e.JobId).Should().Equal(streams);
        found.Select(e => e.Position).Should().BeInAscendingOrder();

        AppendResult again = await journal.AppendAsync(streams[1_500], ExpectedStreamVersion.Any, shared with { Attributes = EventAttributes.Of(("changed", "yes")) });
        again.Count.Should().Be(1);
        again[0].IsDuplicate.Should().BeTrue();
        again[0].IsConflict.Should().BeTrue();
        again[0].Entry.Should().Be(found[1_500]);
        journal.Count.Should().Be(6_000);
    }

    [Fact]
    public async Task ExtrasPresentOrAbsent_RoundTripPerEntry()
    {
        var journal = new InMemoryJobEventJournal();
        JobId job = JobId.Parse("job-extras");
        using JsonDocument payload = JsonDocument.Parse("""{"sku":"A-1","qty":3}""");
        NewJobEvent[] events =
        [
            Event(1),
            Event(2) with { TaskId = TaskId.Parse("reserve-stock") },
            Event(3) with { Payload = payload.RootElement },
            Event(4) with { TaskId = TaskId.Parse("ship"), Payload = payload.RootElement },
        ];
        await journal.AppendAsync(job, ExpectedStreamVersion.NoStream, events);

        List<JobEventLogEntry> read = await journal.ReadStreamAsync(job).ToListAsync();
        read.Select(e => e.TaskId?.Value).Should().Equal(null, "reserve-stock", null, "ship");
        read.Select(e => e.Payload?.GetRawText()).Should().Equal(null, null, payload.RootElement.GetRawText(), payload.RootElement.GetRawText());
    }

    private static NewJobEvent Event(int i) => new()
    {
        EventId = EventId.Parse($"evt-{i}"),
        EventType = EventTypeId.Parse("item.scanned"),
        Lane = EventLane.Domain,
        OccurredAt = Start.AddTicks(i * 13L).ToOffset(TimeSpan.FromMinutes(i % 2 == 0 ? -420 : 330)),
        RecordedAt = Start.AddTicks(i * 17L),
        Attributes = EventAttributes.Of(("orderId", $"o-{i % 50}")),
    };
}
