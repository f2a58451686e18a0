using JobManagement.Journal.Conformance;
using Npgsql;
using EventId = JobManagement.EventId;

namespace JobManagement.PostgreSql.Tests.UnitOfWork;

/// <summary><see cref="PostgreSqlJobEventJournal.AppendInTransactionAsync"/>: the rules of a normal append, inside the caller's transaction, gap-safe.</summary>
public sealed class PostgreSqlJobEventJournalTransactionTests
{
    private static readonly JobId Job = JobId.Parse("job-1");

    [PostgreSqlFact]
    public async Task AppendInTransaction_InvisibleUntilCommit_ThenCommittedWithTheCallersRow()
    {
        await using var schema = new TemporarySchema();
        PostgreSqlJobEventJournal sut = await OpenAsync(schema);
        await using PostgreSqlJobUnitOfWork unitOfWork = await BeginAsync(sut);
        await InsertNoteAsync(unitOfWork, schema, "shipped");

        AppendResult result = await sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.NoStream, [TestEvents.Event("e-1")]);

        result.StreamVersion.Should().Be(1);
        (await sut.ReadAllAsync(1, 10)).Should().BeEmpty("nothing is visible before the commit");
        await unitOfWork.CommitAsync(CancellationToken.None);
        (await sut.ReadAllAsync(1, 10)).Should().ContainSingle().Which.Should().BeEquivalentTo(result.Outcomes[0].Entry);
        (await schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.notes")).Should().Be(1);
        (await sut.FindByEventIdAsync(EventId.Parse("e-1"))).Should().ContainSingle();
    }

    [PostgreSqlFact]
    public async Task AppendInTransaction_RolledBack_LeavesNothing_AndThePositionIsReused()
    {
        await using var schema = new TemporarySchema();
        PostgreSqlJobEventJournal sut = await OpenAsync(schema);
        await using (PostgreSqlJobUnitOfWork unitOfWork = await BeginAsync(sut))
        {
            await InsertNoteAsync(unitOfWork, schema, "never");
            await sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.NoStream, [TestEvents.Event("e-1")]);
            await unitOfWork.RollbackAsync(CancellationToken.None);
        }

        AppendResult next = await sut.AppendAsync(Job, ExpectedStreamVersion.NoStream, [TestEvents.Event("e-2")]);

        next.Outcomes[0].Entry.Position.Should().Be(1, "positions stay dense");
        (await schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.notes")).Should().Be(0);
    }

    [PostgreSqlFact]
    public async Task AppendInTransaction_RecordedId_IsADuplicate_AndAppendsNothing()
    {
        await using var schema = new TemporarySchema();
        PostgreSqlJobEventJournal sut = await OpenAsync(schema);
        AppendResult first = await sut.AppendAsync(Job, ExpectedStreamVersion.NoStream, [TestEvents.Event("e-1")]);
        await using PostgreSqlJobUnitOfWork unitOfWork = await BeginAsync(sut);

        AppendResult again = await sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.Exactly(0), [TestEvents.Event("e-1")]);
        await unitOfWork.CommitAsync(CancellationToken.None);

        again.Outcomes[0].IsDuplicate.Should().BeTrue("the version is checked only when something new is appended");
        again.Outcomes[0].Entry.Should().BeEquivalentTo(first.Outcomes[0].Entry);
        (await sut.GetStreamVersionAsync(Job)).Should().Be(1);
    }

    [PostgreSqlFact]
    public async Task AppendInTransaction_WrongVersion_ThrowsConcurrency_AndTheTransactionStaysUsable()
    {
        await using var schema = new TemporarySchema();
        PostgreSqlJobEventJournal sut = await OpenAsync(schema);
        await sut.AppendAsync(Job, ExpectedStreamVersion.NoStream, [TestEvents.Event("e-1")]);
        await using PostgreSqlJobUnitOfWork unitOfWork = await BeginAsync(sut);
        await InsertNoteAsync(unitOfWork, schema, "kept");

        Func<Task> stale = async () => await sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.NoStream, [TestEvents.Event("e-2")]);

        (await stale.Should().ThrowAsync<JobConcurrencyException>()).Which.ActualVersion.Should().Be(1);
        await sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.Exactly(1), [TestEvents.Event("e-2"), TestEvents.Event("e-3")]);
        await unitOfWork.CommitAsync(CancellationToken.None);
        (await sut.GetStreamVersionAsync(Job)).Should().Be(3);
        (await schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.notes")).Should().Be(1);
    }

    [PostgreSqlFact]
    public async Task AppendInTransaction_CreationWhoseIdCreatedAnotherJob_ThrowsCreationConflict_AndTheTransactionStaysUsable()
    {
        await using var schema = new TemporarySchema();
        PostgreSqlJobEventJournal sut = await OpenAsync(schema);
        await sut.AppendAsync(JobId.Parse("job-a"), ExpectedStreamVersion.NoStream, [GroupCommitCreationScenario.Created("req-1")]);
        await using PostgreSqlJobUnitOfWork unitOfWork = await BeginAsync(sut);
        await InsertNoteAsync(unitOfWork, schema, "kept");

        Func<Task> again = async () => await sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.NoStream, [GroupCommitCreationScenario.Created("req-1")]);

        (await again.Should().ThrowAsync<JobCreationConflictException>()).Which.ExistingJobId.Should().Be(JobId.Parse("job-a"));
        await sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.NoStream, [TestEvents.Event("e-1")]);
        await unitOfWork.CommitAsync(CancellationToken.None);
        (await sut.GetStreamVersionAsync(Job)).Should().Be(1);
        (await schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.notes")).Should().Be(1);
    }

    [PostgreSqlFact]
    public async Task AppendInTransaction_UniqueViolationFromAWriterThatBypassedTheLock_IsAConcurrencyConflict_AndTheTransactionStaysUsable()
    {
        await using var schema = new TemporarySchema();
        PostgreSqlJobEventJournal sut = await OpenAsync(schema);
        await using PostgreSqlJobUnitOfWork unitOfWork = await BeginAsync(sut);
        await InsertNoteAsync(unitOfWork, schema, "kept");

        // A writer that bypasses the position lock inserts (job-1, sequence 1) and has not committed yet:
        // the plan cannot see it, so the database's uniqueness is what catches it.
        await using NpgsqlConnection rogue = await sut.DataSource.OpenConnectionAsync();
        await using NpgsqlTransaction rogueTransaction = await rogue.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand($"INSERT INTO \"{schema.Name}\".entries (position, stream, sequence, event_id, event_type, lane, occurred_ticks, occurred_offset, recorded_ticks, recorded_offset, attributes, checksum) VALUES (1000, 'job-1', 1, 'rogue', 'payment.captured', 0, 0, 0, 0, 0, '{{}}', '\\x00')", rogue, rogueTransaction))
        {
            await insert.ExecuteNonQueryAsync();
        }

        Task<AppendResult> mine = sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.NoStream, [TestEvents.Event("e-1")]).AsTask();
        await WaitForLockWaiterAsync(schema, $"locktype = 'transactionid' AND pid = {unitOfWork.Connection.ProcessID}");
        await rogueTransaction.CommitAsync();

        (await mine.Awaiting(static t => t).Should().ThrowAsync<JobConcurrencyException>()).Which.ActualVersion.Should().Be(1);
        await unitOfWork.CommitAsync(CancellationToken.None);
        (await schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.notes")).Should().Be(1, "the refused append left the caller's transaction usable");
        (await schema.ScalarAsync<long>("SELECT count(*) FROM {schema}.entries")).Should().Be(1, "only the rogue row exists");
    }

    [PostgreSqlFact]
    public async Task AppendAsync_WhileATransactionAppended_WaitsForItsCommit_SoPositionsBecomeVisibleInOrder()
    {
        await using var schema = new TemporarySchema();
        PostgreSqlJobEventJournal sut = await OpenAsync(schema);
        JobId other = JobId.Parse("job-2");
        await sut.AppendAsync(other, ExpectedStreamVersion.NoStream, [TestEvents.Event("e-0")]);
        await using PostgreSqlJobUnitOfWork unitOfWork = await BeginAsync(sut);
        AppendResult inTransaction = await sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.NoStream, [TestEvents.Event("e-1")]);

        Task<AppendResult> later = sut.AppendAsync(other, ExpectedStreamVersion.Exactly(1), [TestEvents.Event("e-2")]).AsTask();
        await WaitForLockWaiterAsync(schema, AppendLockOf(schema));

        later.IsCompleted.Should().BeFalse("the writer waits for the position lock the transaction holds");
        (await sut.ReadAllAsync(2, 10)).Should().BeEmpty("a reader at position 2 sees nothing yet, so it can never skip position 2");
        await unitOfWork.CommitAsync(CancellationToken.None);
        AppendResult appended = await later;

        inTransaction.Outcomes[0].Entry.Position.Should().Be(2);
        appended.Outcomes[0].Entry.Position.Should().Be(3);
        TestEvents.ShouldBeWellFormed(await sut.ReadAllAsync(1, 10));
    }

    [PostgreSqlFact]
    public async Task AppendAsync_ToTheSameStreamWhileATransactionAppended_ConflictsAfterTheCommit()
    {
        await using var schema = new TemporarySchema();
        PostgreSqlJobEventJournal sut = await OpenAsync(schema);
        await sut.AppendAsync(Job, ExpectedStreamVersion.NoStream, [TestEvents.Event("e-1")]);
        await using PostgreSqlJobUnitOfWork unitOfWork = await BeginAsync(sut);
        await sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.Exactly(1), [TestEvents.Event("e-2")]);

        Task<AppendResult> concurrent = sut.AppendAsync(Job, ExpectedStreamVersion.Exactly(1), [TestEvents.Event("e-3")]).AsTask();
        await WaitForLockWaiterAsync(schema, AppendLockOf(schema));
        await unitOfWork.CommitAsync(CancellationToken.None);

        await concurrent.Awaiting(static t => t).Should().ThrowAsync<JobConcurrencyException>();
        IReadOnlyList<JobEventLogEntry> all = await sut.ReadAllAsync(1, 10);
        all.Select(static e => e.EventId.Value).Should().Equal("e-1", "e-2");
        TestEvents.ShouldBeWellFormed(all);
    }

    [PostgreSqlFact]
    public async Task AppendInTransaction_TransactionOfAnotherJournal_IsRefused()
    {
        await using var schema = new TemporarySchema();
        await using var otherSchema = new TemporarySchema();
        PostgreSqlJobEventJournal sut = await OpenAsync(schema);
        await using PostgreSqlJobUnitOfWork unitOfWork = await BeginAsync(otherSchema.Open());

        Func<Task> act = async () => await sut.AppendInTransactionAsync(unitOfWork, Job, ExpectedStreamVersion.Any, [TestEvents.Event("e-1")]);

        await act.Should().ThrowAsync<ArgumentException>().WithParameterName("transaction");
    }

    /// <summary>The pg_locks condition for the schema's position lock (tests of other schemas run at the same time).</summary>
    private static string AppendLockOf(TemporarySchema schema) =>
        $"locktype = 'advisory' AND classid = {0x4A4D4A31} AND objid = {(uint)new PostgreSqlSchema(schema.Name).LockKey} AND objsubid = 2";

    /// <summary>Waits (polling the server's lock table, not the clock) until a backend waits for a lock matching the condition.</summary>
    private static async Task WaitForLockWaiterAsync(TemporarySchema schema, string condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await schema.ScalarAsync<long>($"SELECT count(*) FROM pg_locks WHERE {condition} AND NOT granted") == 0)
        {
            timeout.Token.ThrowIfCancellationRequested();
            await Task.Yield();
        }
    }

    private static async Task<PostgreSqlJobEventJournal> OpenAsync(TemporarySchema schema)
    {
        PostgreSqlJobEventJournal journal = schema.Open();
        await journal.InitializeAsync();
        await schema.ExecuteAsync("CREATE TABLE {schema}.notes (text text NOT NULL)");
        return journal;
    }

    private static async Task<PostgreSqlJobUnitOfWork> BeginAsync(PostgreSqlJobEventJournal journal)
    {
        var unitOfWork = new PostgreSqlJobUnitOfWork(journal);
        await unitOfWork.BeginAsync(new JobAttemptInfo(Job, JobType.Parse("test"), 1), CancellationToken.None);
        return unitOfWork;
    }

    private static async Task InsertNoteAsync(PostgreSqlJobUnitOfWork unitOfWork, TemporarySchema schema, string text)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO \"{schema.Name}\".notes (text) VALUES ($1)", unitOfWork.Connection, unitOfWork.Transaction) { Parameters = { new NpgsqlParameter { Value = text } } };
        await command.ExecuteNonQueryAsync();
    }
}
