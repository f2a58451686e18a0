using Microsoft.Data.Sqlite;

namespace JobManagement.Sqlite.Tests;

/// <summary>The SQLite journal's read connections: kept open with their prepared statements, lent one query at a time.</summary>
public sealed class SqliteReaderPoolTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ReturnedReader_IsLentAgain_WithItsStatementsStillPrepared()
    {
        var pool = new SqliteReaderPool(_database.ConnectionString, maxIdle: 2);
        SqliteReader first = await pool.RentAsync(CancellationToken.None);
        SQLitePCL.sqlite3_stmt statement = first.Statement("SELECT 1;");
        await first.DisposeAsync();

        SqliteReader again = await pool.RentAsync(CancellationToken.None);
        again.Should().BeSameAs(first);
        again.Statement("SELECT 1;").Should().BeSameAs(statement, "a statement is prepared once per reader");
        await again.DisposeAsync();
        pool.Close();
        first.Connection.State.Should().Be(System.Data.ConnectionState.Closed, "closing the pool closes its idle readers");
    }

    [Fact]
    public async Task MoreReadersThanIdleBound_TheSurplusIsClosedOnReturn()
    {
        var pool = new SqliteReaderPool(_database.ConnectionString, maxIdle: 1);
        SqliteReader one = await pool.RentAsync(CancellationToken.None);
        SqliteReader two = await pool.RentAsync(CancellationToken.None);
        two.Should().NotBeSameAs(one);
        await one.DisposeAsync();
        await two.DisposeAsync();

        one.Connection.State.Should().Be(System.Data.ConnectionState.Open);
        two.Connection.State.Should().Be(System.Data.ConnectionState.Closed);
        pool.Close();
    }

    [Fact]
    public async Task ReaderReturnedAfterTheJournalClosed_IsClosed()
    {
        var pool = new SqliteReaderPool(_database.ConnectionString, maxIdle: 4);
        SqliteReader lent = await pool.RentAsync(CancellationToken.None);
        pool.Close();
        await lent.DisposeAsync();
        lent.Connection.State.Should().Be(System.Data.ConnectionState.Closed);
    }

    [Fact]
    public async Task IdleReadersAfterQueries_DoNotHoldBackACheckpoint_AndSeeLaterWrites()
    {
        await using SqliteJobEventJournal journal = _database.Open();
        JobId job = JobId.Parse("job-1");
        await journal.AppendAsync(job, ExpectedStreamVersion.NoStream, [Event("e-1")]);
        (await journal.FindByEventIdAsync(EventId.Parse("e-1"))).Should().ContainSingle();
        (await journal.GetStreamVersionAsync(job)).Should().Be(1);

        await using (var other = new SqliteConnection(_database.ConnectionString + ";Pooling=False"))
        {
            await other.OpenAsync();
            await using SqliteCommand checkpoint = other.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using SqliteDataReader result = await checkpoint.ExecuteReaderAsync();
            (await result.ReadAsync()).Should().BeTrue();
            result.GetInt64(0).Should().Be(0, "no idle reader holds a read transaction that would block the checkpoint");
        }

        await journal.AppendAsync(job, ExpectedStreamVersion.Exactly(1), [Event("e-2")]);
        (await journal.GetStreamVersionAsync(job)).Should().Be(2, "a kept statement reads the latest commit");
        (await journal.FindByEventIdAsync(EventId.Parse("e-2"))).Should().ContainSingle();
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
