using JobManagement.Journal.Conformance;
using Microsoft.Data.Sqlite;
using EventId = JobManagement.EventId;

namespace JobManagement.Sqlite.Tests.UnitOfWork;

/// <summary><see cref="SqliteJobEventJournal.AppendInTransactionAsync"/>: the append rules of a normal append, inside the caller's transaction.</summary>
public sealed class SqliteJobEventJournalTransactionTests : IAsyncLifetime
{
    private static readonly JobId Job = JobId.Parse("job-1");
    private readonly TemporaryDatabase _database = new();
    private SqliteJobEventJournal _sut = null!;

    public async Task InitializeAsync()
    {
        _sut = _database.Open();
        await _sut.InitializeAsync();
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE notes (text TEXT NOT NULL);";
        await command.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _sut.DisposeAsync();
        _database.Dispose();
    }

    [Fact]
    public async Task AppendInTransaction_InvisibleUntilCommit_ThenCommittedWithTheCallersRowAndIndexes()
    {
        await using SqliteJobUnitOfWork unitOfWork = await BeginAsync();
        await InsertNoteAsync(unitOfWork, "shipped");

        AppendResult result = await _sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.NoStream, [Event("e-1", "42")]);

        result.StreamVersion.Should().Be(1);
        (await _sut.GetStreamVersionAsync(Job)).Should().Be(0, "nothing is visible before the commit");
        (await _sut.ReadAllAsync(1, 10)).Should().BeEmpty();

        await unitOfWork.CommitAsync(CancellationToken.None);

        (await _sut.ReadAllAsync(1, 10)).Should().ContainSingle().Which.Should().BeEquivalentTo(result.Outcomes[0].Entry);
        (await NotesAsync()).Should().Equal("shipped");
        List<JobEventLogEntry> byAttribute = [];
        await foreach (JobEventLogEntry entry in _sut.FindRecordedEventsAsync(new RecordedEventLookup(null, "orderId", "42")))
        {
            byAttribute.Add(entry);
        }

        byAttribute.Should().ContainSingle("the attribute index was written in the same transaction");
    }

    [Fact]
    public async Task AppendInTransaction_RolledBack_LeavesNothing_AndThePositionIsReused()
    {
        await using (SqliteJobUnitOfWork unitOfWork = await BeginAsync())
        {
            await InsertNoteAsync(unitOfWork, "never");
            await _sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.NoStream, [Event("e-1")]);
            await unitOfWork.RollbackAsync(CancellationToken.None);
        }

        AppendResult next = await _sut.AppendAsync(Job, ExpectedStreamVersion.NoStream, [Event("e-2")]);

        next.Outcomes[0].Entry.Position.Should().Be(1, "positions stay dense");
        (await NotesAsync()).Should().BeEmpty();
        (await _sut.FindByEventIdAsync(EventId.Parse("e-1"))).Should().BeEmpty();
    }

    [Fact]
    public async Task AppendInTransaction_RecordedId_IsADuplicate_AndAppendsNothing()
    {
        AppendResult first = await _sut.AppendAsync(Job, ExpectedStreamVersion.NoStream, [Event("e-1")]);
        await using SqliteJobUnitOfWork unitOfWork = await BeginAsync();

        AppendResult again = await _sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.Exactly(0), [Event("e-1")]);
        await unitOfWork.CommitAsync(CancellationToken.None);

        again.Outcomes[0].IsDuplicate.Should().BeTrue("the version is checked only when something new is appended");
        again.Outcomes[0].Entry.Should().BeEquivalentTo(first.Outcomes[0].Entry);
        (await _sut.GetStreamVersionAsync(Job)).Should().Be(1);
    }

    [Fact]
    public async Task AppendInTransaction_WrongVersion_ThrowsConcurrency_AndTheTransactionStaysUsable()
    {
        await _sut.AppendAsync(Job, ExpectedStreamVersion.NoStream, [Event("e-1")]);
        await using SqliteJobUnitOfWork unitOfWork = await BeginAsync();
        await InsertNoteAsync(unitOfWork, "kept");

        Func<Task> stale = async () => await _sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.NoStream, [Event("e-2")]);

        JobConcurrencyException conflict = (await stale.Should().ThrowAsync<JobConcurrencyException>()).Which;
        conflict.ActualVersion.Should().Be(1);
        await _sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.Exactly(1), [Event("e-2"), Event("e-3")]);
        await unitOfWork.CommitAsync(CancellationToken.None);
        (await _sut.GetStreamVersionAsync(Job)).Should().Be(3);
        (await NotesAsync()).Should().Equal("kept");
    }

    [Fact]
    public async Task AppendInTransaction_CreationWhoseIdCreatedAnotherJob_ThrowsCreationConflict_AndTheTransactionStaysUsable()
    {
        await _sut.AppendAsync(JobId.Parse("job-a"), ExpectedStreamVersion.NoStream, [GroupCommitCreationScenario.Created("req-1")]);
        await using SqliteJobUnitOfWork unitOfWork = await BeginAsync();
        await InsertNoteAsync(unitOfWork, "kept");

        Func<Task> again = async () => await _sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.NoStream, [GroupCommitCreationScenario.Created("req-1")]);

        (await again.Should().ThrowAsync<JobCreationConflictException>()).Which.ExistingJobId.Should().Be(JobId.Parse("job-a"));
        await _sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.NoStream, [Event("e-1")]);
        await unitOfWork.CommitAsync(CancellationToken.None);
        (await _sut.ReadStreamAsync(Job).ToListAsync()).Select(static e => e.EventId.Value).Should().Equal("e-1");
        (await NotesAsync()).Should().Equal("kept");
    }

    [Fact]
    public async Task AppendAsync_ToTheSameStreamWhileATransactionAppended_WaitsForTheCommit_ThenConflicts()
    {
        await _sut.AppendAsync(Job, ExpectedStreamVersion.NoStream, [Event("e-1")]);
        await using SqliteJobUnitOfWork unitOfWork = await BeginAsync();
        await _sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.Exactly(1), [Event("e-2")]);

        Task<AppendResult> concurrent = _sut.AppendAsync(Job, ExpectedStreamVersion.Exactly(1), [Event("e-3")]).AsTask();
        concurrent.IsCompleted.Should().BeFalse("the transaction holds SQLite's write lock");
        await unitOfWork.CommitAsync(CancellationToken.None);

        await concurrent.Awaiting(static t => t).Should().ThrowAsync<JobConcurrencyException>();
        IReadOnlyList<JobEventLogEntry> all = await _sut.ReadAllAsync(1, 10);
        all.Select(static e => e.EventId.Value).Should().Equal("e-1", "e-2");
        all.Select(static e => e.Sequence).Should().Equal(1, 2);
    }

    [Fact]
    public async Task AppendInTransaction_TransactionOfAnotherJournal_IsRefused()
    {
        using var other = new TemporaryDatabase();
        await using SqliteJobEventJournal otherJournal = other.Open();
        await using var unitOfWork = new SqliteJobUnitOfWork(otherJournal);
        await unitOfWork.BeginAsync(new JobAttemptInfo(Job, JobType.Parse("test"), 1), CancellationToken.None);
        _ = unitOfWork.Transaction;

        Func<Task> act = async () => await _sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.Any, [Event("e-1")]);

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("transaction");
        await unitOfWork.RollbackAsync(CancellationToken.None);
    }

    [Fact]
    public void Constructor_AnotherJournal_IsRefused()
    {
        Action act = () => _ = new SqliteJobUnitOfWork(new InMemoryJobEventJournal());

        act.Should().Throw<InvalidOperationException>().WithMessage("*UseSqliteJournal*");
    }

    private static NewJobEvent Event(string id, string orderId = "7") => new()
    {
        EventId = EventId.Parse(id),
        EventType = EventTypeId.Parse("payment.captured"),
        Lane = EventLane.Domain,
        OccurredAt = DateTimeOffset.UnixEpoch,
        RecordedAt = DateTimeOffset.UnixEpoch,
        Attributes = EventAttributes.Of(("orderId", orderId)),
    };

    private static async Task InsertNoteAsync(SqliteJobUnitOfWork unitOfWork, string text)
    {
        await using SqliteCommand command = unitOfWork.Connection.CreateCommand();
        command.Transaction = unitOfWork.Transaction;
        command.CommandText = "INSERT INTO notes (text) VALUES ($text);";
        command.Parameters.AddWithValue("$text", text);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<SqliteJobUnitOfWork> BeginAsync()
    {
        var unitOfWork = new SqliteJobUnitOfWork(_sut);
        await unitOfWork.BeginAsync(new JobAttemptInfo(Job, JobType.Parse("test"), 1), CancellationToken.None);
        return unitOfWork;
    }

    private async Task<List<string>> NotesAsync()
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT text FROM notes ORDER BY rowid;";
        await using SqliteDataReader reader = await command.ExecuteReaderAsync();
        List<string> notes = [];
        while (await reader.ReadAsync())
        {
            notes.Add(reader.GetString(0));
        }

        return notes;
    }
}
