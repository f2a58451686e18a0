namespace JobManagement.Sqlite.Tests;

/// <summary>The writer's raw insert statements bind values exactly as Microsoft.Data.Sqlite would.</summary>
public sealed class SqliteRawStatementTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task EmptyAttributeValue_IsStoredAsEmptyTextNotNull_AndFoundByIt()
    {
        // The writer binds text as UTF-8 spans; an empty span would bind SQL NULL (refused by NOT NULL).
        await using SqliteJobEventJournal journal = _database.Open();
        NewJobEvent withEmpty = Event("e-empty") with { Attributes = EventAttributes.Of(("note", string.Empty)) };
        await journal.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [withEmpty]);

        (await journal.ReadStreamAsync(JobId.Parse("job-1")).ToListAsync()).Single().Attributes.Should().Equal(withEmpty.Attributes);
        (await journal.FindRecordedEventsAsync(new RecordedEventLookup(null, "note", string.Empty)).ToListAsync())
            .Select(e => e.EventId.Value).Should().Equal("e-empty");
    }

    [Fact]
    public async Task NonAsciiAndLongValues_RoundTripThroughTheRawInserts()
    {
        await using SqliteJobEventJournal journal = _database.Open();
        string longValue = new('ü', 600); // more UTF-8 bytes than the stack buffer: the rented path
        NewJobEvent e = Event("e-utf8") with { Attributes = EventAttributes.Of(("city", "Zürich — 東京"), ("long", longValue)) };
        await journal.AppendAsync(JobId.Parse("job-utf8"), ExpectedStreamVersion.NoStream, [e]);

        (await journal.ReadStreamAsync(JobId.Parse("job-utf8")).ToListAsync()).Single().Attributes.Should().Equal(e.Attributes);
        (await journal.FindRecordedEventsAsync(new RecordedEventLookup(null, "long", longValue)).ToListAsync()).Should().ContainSingle();
        (await journal.FindRecordedEventsAsync(new RecordedEventLookup(null, "city", "Zürich — 東京")).ToListAsync()).Should().ContainSingle();
    }

    private static NewJobEvent Event(string id) => new()
    {
        EventId = EventId.Parse(id),
        EventType = EventTypeId.Parse("item.scanned"),
        Lane = EventLane.Domain,
        OccurredAt = DateTimeOffset.UnixEpoch,
        RecordedAt = DateTimeOffset.UnixEpoch,
    };
}
