using System.Text.Json;
using Microsoft.Data.Sqlite;
using EventId = JobManagement.EventId;

namespace JobManagement.Sqlite.Tests;

public sealed class SqliteJobEventJournalTests : IDisposable
{
    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AppendAsync_EveryField_ReadsBackEqualAfterReopen()
    {
        NewJobEvent written = Event("evt-1") with
        {
            TaskId = TaskId.Parse("charge"),
            OccurredAt = new DateTimeOffset(2026, 11, 22, 5, 31, 11, 123, 456, TimeSpan.FromHours(2)),
            RecordedAt = new DateTimeOffset(2026, 11, 22, 3, 31, 12, 654, 321, TimeSpan.Zero),
            Attributes = EventAttributes.Of(("orderId", "42"), ("region", "Île-de-France ✓ \"quoted\"")),
            Payload = JsonSerializer.SerializeToElement(new { amount = 12.5m, items = new[] { "a", "b" }, note = (string?)null }),
            Observability = new EventObservability("exec-1", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"),
        };
        await using (SqliteJobEventJournal first = _database.Open())
        {
            await first.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [written]);
        }

        await using SqliteJobEventJournal sut = _database.Open();
        JobEventLogEntry read = (await sut.ReadAllAsync(1, 10)).Should().ContainSingle().Subject;

        read.Should().BeEquivalentTo(written.ToEntry(JobId.Parse("job-1"), 1, 1), o => o.Excluding(e => e.Payload));
        read.OccurredAt.Offset.Should().Be(TimeSpan.FromHours(2));
        read.OccurredAt.Should().Be(written.OccurredAt);
        read.RecordedAt.Ticks.Should().Be(written.RecordedAt.Ticks);
        JsonElement.DeepEquals(read.Payload!.Value, written.Payload!.Value).Should().BeTrue();
        read.Lane.Should().Be(EventLane.Domain);
    }

    [Fact]
    public async Task InitializeAsync_FileOfAnotherApplication_IsRefused()
    {
        await using (var other = new SqliteConnection(_database.ConnectionString))
        {
            await other.OpenAsync();
            await using SqliteCommand command = other.CreateCommand();
            command.CommandText = "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);";
            await command.ExecuteNonQueryAsync();
        }

        await using SqliteJobEventJournal sut = _database.Open();
        Func<Task> act = async () => await sut.InitializeAsync();

        (await act.Should().ThrowAsync<JobJournalSchemaException>()).Which.Message.Should().Contain("not a JobManagement journal");
    }

    [Fact]
    public async Task InitializeAsync_FileThatIsNotSqlite_IsRefused()
    {
        await File.WriteAllTextAsync(_database.Path, "this is a text file, certainly not a database; " + new string('x', 4096));

        await using SqliteJobEventJournal sut = _database.Open();
        Func<Task> act = async () => await sut.InitializeAsync();

        await act.Should().ThrowAsync<JobJournalSchemaException>();
    }

    [Fact]
    public async Task InitializeAsync_Utf16File_IsRefused()
    {
        // Marked as a journal but made by other hands in UTF-16: its text columns' stored bytes would not be the UTF-8 the checksum covers.
        await ExecuteAsync("PRAGMA encoding = 'UTF-16le'; PRAGMA application_id = 1246579249; CREATE TABLE jm_schema (version INTEGER NOT NULL); INSERT INTO jm_schema (version) VALUES (2);");

        await using SqliteJobEventJournal sut = _database.Open();
        Func<Task> act = async () => await sut.InitializeAsync();

        (await act.Should().ThrowAsync<JobJournalSchemaException>()).Which.Message.Should().Contain("UTF-16");
    }

    [Fact]
    public async Task InitializeAsync_NewerSchema_IsRefusedNotDowngraded()
    {
        await using (SqliteJobEventJournal first = _database.Open())
        {
            await first.InitializeAsync();
        }

        await ExecuteAsync("INSERT INTO jm_schema (version) VALUES (99);");

        await using SqliteJobEventJournal sut = _database.Open();
        Func<Task> act = async () => await sut.InitializeAsync();

        (await act.Should().ThrowAsync<JobJournalSchemaException>()).Which.Message.Should().Contain("99");
        (await ScalarAsync("SELECT MAX(version) FROM jm_schema;")).Should().Be(99, "the schema is never downgraded");
    }

    [Fact]
    public async Task ReadStreamAsync_RowChangedOnDisk_RaisesCorruptionNamingJobAndSequence()
    {
        await using (SqliteJobEventJournal first = _database.Open())
        {
            await first.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [Event("evt-1"), Event("evt-2")]);
        }

        // The attributes live in the row's body (schema 2): change the stored value, keep the checksum.
        await ExecuteAsync("UPDATE jm_entries SET body = CAST(replace(CAST(body AS TEXT), '\"orderId\":\"42\"', '\"orderId\":\"43\"') AS BLOB) WHERE sequence = 2;");
        (await ScalarAsync("SELECT count(*) FROM jm_entries WHERE instr(CAST(body AS TEXT), '\"orderId\":\"43\"') > 0;")).Should().Be(1, "the damage must have been applied");

        await using SqliteJobEventJournal sut = _database.Open();
        Func<Task> act = async () => await sut.ReadStreamAsync(JobId.Parse("job-1")).ToListAsync();

        JobJournalCorruptionException thrown = (await act.Should().ThrowAsync<JobJournalCorruptionException>()).Which;
        thrown.JobId.Should().Be(JobId.Parse("job-1"));
        thrown.Sequence.Should().Be(2);
    }

    [Fact]
    public async Task ReadAllAsync_RowMovedToAnotherPosition_RaisesCorruptionNamingJobAndSequence()
    {
        await using (SqliteJobEventJournal first = _database.Open())
        {
            await first.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [Event("evt-1"), Event("evt-2")]);
        }

        // The checksum covers the position (schema 2): a row moved in the global order is not served as if it belonged there.
        await ExecuteAsync("UPDATE jm_entries SET position = 1000 WHERE sequence = 2;");

        await using SqliteJobEventJournal sut = _database.Open();
        Func<Task> act = async () => await sut.ReadAllAsync(1, 100);

        JobJournalCorruptionException thrown = (await act.Should().ThrowAsync<JobJournalCorruptionException>()).Which;
        thrown.JobId.Should().Be(JobId.Parse("job-1"));
        thrown.Sequence.Should().Be(2);
    }

    [Fact]
    public async Task ReadStreamAsync_SequenceGap_RaisesCorruption()
    {
        await using (SqliteJobEventJournal first = _database.Open())
        {
            await first.AppendAsync(JobId.Parse("job-1"), ExpectedStreamVersion.NoStream, [Event("evt-1"), Event("evt-2"), Event("evt-3")]);
        }

        await ExecuteAsync("DELETE FROM jm_entries WHERE sequence = 2;");

        await using SqliteJobEventJournal sut = _database.Open();
        Func<Task> act = async () => await sut.ReadStreamAsync(JobId.Parse("job-1")).ToListAsync();

        (await act.Should().ThrowAsync<JobJournalCorruptionException>()).Which.Sequence.Should().Be(2);
    }

    [Theory]
    [InlineData(SqliteDurability.Full, 2)]
    [InlineData(SqliteDurability.NormalMayLoseLastCommitsOnPowerLoss, 1)]
    public async Task Writer_Durability_SetsWalAndSynchronous(SqliteDurability durability, long expectedSynchronous)
    {
        await using SqliteJobEventJournal sut = _database.Open(o => o.Durability = durability);
        await sut.InitializeAsync();

        (await ScalarTextAsync("PRAGMA journal_mode;")).Should().Be("wal");
        (await sut.WriterPragmaAsync("synchronous")).Should().Be(expectedSynchronous);
    }

    [Fact]
    public async Task AppendAsync_ManyConcurrentCallers_EachLearnsItsOwnOutcome()
    {
        await using SqliteJobEventJournal sut = _database.Open();
        const int callers = 64;

        AppendResult[] results = await Task.WhenAll(Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
            await sut.AppendAsync(JobId.Parse($"job-{i % 8}"), ExpectedStreamVersion.Any, [Event($"evt-{i}"), Event($"evt-{i % 4}-shared")]))));

        // Job j receives the callers i with i % 8 == j; they all share one "-shared" id, appended once.
        results.Should().OnlyContain(r => r.Outcomes.Length == 2 && !r.Outcomes[0].IsDuplicate);
        results.Count(r => !r.Outcomes[1].IsDuplicate).Should().Be(8);
        IReadOnlyList<JobEventLogEntry> all = await sut.ReadAllAsync(1, 10_000);
        all.Select(e => e.Position).Should().Equal(Enumerable.Range(1, callers + 8).Select(i => (long)i));
        foreach (IGrouping<JobId, JobEventLogEntry> stream in all.GroupBy(e => e.JobId))
        {
            stream.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, stream.Count()).Select(i => (long)i));
            stream.Select(e => e.EventId).Should().OnlyHaveUniqueItems();
        }
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

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql) => Convert.ToInt64(await ScalarObjectAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string?> ScalarTextAsync(string sql) => Convert.ToString(await ScalarObjectAsync(sql), System.Globalization.CultureInfo.InvariantCulture);

    private async Task<object?> ScalarObjectAsync(string sql)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
