using Microsoft.Data.Sqlite;

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

    [Fact]
    public void QueryFirstTextPair_ReadsTheFirstRowsTwoColumns_OrNullWithoutARow_AndCanRunAgain()
    {
        using var connection = new SqliteConnection(_database.ConnectionString);
        connection.Open();
        using (SqliteCommand create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE t (k TEXT, a TEXT, b TEXT); INSERT INTO t VALUES ('x', 'first', 'zürich'), ('x', 'second', 'b');";
            create.ExecuteNonQuery();
        }

        using var sut = new SqliteRawStatement(connection, "SELECT a, b FROM t WHERE k = ?1 ORDER BY rowid LIMIT 1;");

        sut.Bind(1, "x").QueryFirstTextPair().Should().Be(("first", "zürich"));
        sut.Bind(1, "none").QueryFirstTextPair().Should().BeNull();
        sut.Bind(1, "x").QueryFirstTextPair().Should().Be(("first", "zürich"), "the statement is reset after each run");
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
