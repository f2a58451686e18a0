using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using EventId = JobManagement.EventId;

namespace JobManagement.Sqlite.Tests;

/// <summary>
/// A journal file written by schema 1 (every field a column, SHA-256 checksum of the re-serialised fields),
/// created here with schema 1's own DDL and rows, then opened by the current journal: migrated in place to
/// schema 2 in one transaction, every row verified with the old rule first.
/// </summary>
public sealed class SqliteSchemaMigrationTests : IDisposable
{
    // Schema 1's DDL as JobManagement.Sqlite 1.x created it (SqliteSchema.CreateV1 before schema 2).
    private const string CreateV1 = """
        CREATE TABLE IF NOT EXISTS jm_schema (version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS jm_entries (
            position        INTEGER PRIMARY KEY,
            stream          TEXT    NOT NULL,
            sequence        INTEGER NOT NULL,
            event_id        TEXT    NOT NULL,
            event_type      TEXT    NOT NULL,
            lane            INTEGER NOT NULL,
            task_id         TEXT    NULL,
            occurred_ticks  INTEGER NOT NULL,
            occurred_offset INTEGER NOT NULL,
            recorded_ticks  INTEGER NOT NULL,
            recorded_offset INTEGER NOT NULL,
            attributes      TEXT    NOT NULL,
            payload         TEXT    NULL,
            execution_id    TEXT    NULL,
            trace_id        TEXT    NULL,
            span_id         TEXT    NULL,
            checksum        BLOB    NOT NULL,
            UNIQUE (stream, sequence),
            UNIQUE (stream, event_id)
        );
        CREATE INDEX IF NOT EXISTS jm_entries_event_id ON jm_entries (event_id);
        CREATE INDEX IF NOT EXISTS jm_entries_domain_type ON jm_entries (event_type, position) WHERE lane = 0;
        CREATE TABLE IF NOT EXISTS jm_jobs (
            job_id   TEXT    NOT NULL PRIMARY KEY,
            job_type TEXT    NOT NULL,
            position INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS jm_jobs_type ON jm_jobs (job_type, position);
        CREATE TABLE IF NOT EXISTS jm_job_correlation (
            job_type TEXT    NOT NULL,
            key      TEXT    NOT NULL,
            value    TEXT    NOT NULL,
            position INTEGER NOT NULL,
            job_id   TEXT    NOT NULL,
            PRIMARY KEY (job_type, key, value, position)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS jm_event_attributes (
            key      TEXT    NOT NULL,
            value    TEXT    NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (key, value, position)
        ) WITHOUT ROWID;
        """;

    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Open_Version1File_MigratesInPlaceAndReadsBackEqual()
    {
        List<JobEventLogEntry> expected = await WriteVersion1FileAsync();

        await using (SqliteJobEventJournal sut = _database.Open())
        {
            List<JobEventLogEntry> all = [.. await sut.ReadAllAsync(1, 1_000)];
            ShouldEqual(all, expected);
            foreach (IGrouping<JobId, JobEventLogEntry> stream in expected.GroupBy(e => e.JobId))
            {
                ShouldEqual(await sut.ReadStreamAsync(stream.Key).ToListAsync(), [.. stream]);
            }

            ShouldEqual([.. await sut.FindByEventIdAsync(EventId.Parse("evt-b-2"))], [.. expected.Where(e => e.EventId.Value == "evt-b-2")]);
            AppendResult next = await sut.AppendAsync(JobId.Parse("job-a"), ExpectedStreamVersion.Exactly(3), [Event("evt-a-4", 4)]);
            next.StreamVersion.Should().Be(4);
            (await sut.ReadAllAsync(1, 1_000)).Should().HaveCount(expected.Count + 1);
        }

        (await ScalarAsync("SELECT MAX(version) FROM jm_schema;")).Should().Be(2);
        (await ScalarAsync("SELECT count(*) FROM pragma_table_info('jm_entries') WHERE name = 'body';")).Should().Be(1);
        (await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE name = 'jm_entries_v1';")).Should().Be(0, "the old table is dropped in the same transaction");
        (await ScalarAsync("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('jm_entries_event_id', 'jm_entries_domain_type');")).Should().Be(2);

        // Opened again: already at version 2, nothing to migrate, the same entries.
        await using SqliteJobEventJournal reopened = _database.Open();
        (await reopened.ReadAllAsync(1, 1_000)).Should().HaveCount(expected.Count + 1);
    }

    [Fact]
    public async Task Open_Version1FileWithDamagedRow_RaisesCorruptionAndLeavesTheFileAtVersion1()
    {
        await WriteVersion1FileAsync();
        await ExecuteAsync("UPDATE jm_entries SET occurred_ticks = occurred_ticks + 1 WHERE stream = 'job-b' AND sequence = 2;");

        await using SqliteJobEventJournal sut = _database.Open();
        Func<Task> act = async () => await sut.InitializeAsync();

        JobJournalCorruptionException thrown = (await act.Should().ThrowAsync<JobJournalCorruptionException>()).Which;
        thrown.JobId.Should().Be(JobId.Parse("job-b"));
        thrown.Sequence.Should().Be(2);
        (await ScalarAsync("SELECT MAX(version) FROM jm_schema;")).Should().Be(1, "the migration is one transaction: nothing of it stays");
        (await ScalarAsync("SELECT count(*) FROM pragma_table_info('jm_entries') WHERE name = 'occurred_ticks';")).Should().Be(1);
        (await ScalarAsync("SELECT count(*) FROM jm_entries;")).Should().Be(7);
    }

    private static void ShouldEqual(IReadOnlyList<JobEventLogEntry> actual, IReadOnlyList<JobEventLogEntry> expected)
    {
        actual.Should().BeEquivalentTo(expected, o => o.WithStrictOrdering().Excluding(e => e.Payload));
        actual.Select(e => e.Payload?.GetRawText()).Should().Equal(expected.Select(e => e.Payload?.GetRawText()));
        actual.Select(e => (e.OccurredAt.UtcTicks, e.OccurredAt.Offset, e.RecordedAt.UtcTicks, e.RecordedAt.Offset))
            .Should().Equal(expected.Select(e => (e.OccurredAt.UtcTicks, e.OccurredAt.Offset, e.RecordedAt.UtcTicks, e.RecordedAt.Offset)));
    }

    private static NewJobEvent Event(string id, int i) => new()
    {
        EventId = EventId.Parse(id),
        EventType = EventTypeId.Parse(i % 2 == 0 ? "payment.captured" : "shipment.delivered"),
        Lane = EventLane.Domain,
        OccurredAt = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(i % 3)).AddTicks(12_345 + i),
        RecordedAt = new DateTimeOffset(2026, 11, 30, 9, 0, 1, TimeSpan.FromMinutes(-330)).AddTicks(i),
        Attributes = EventAttributes.Of(("orderId", i.ToString(CultureInfo.InvariantCulture))),
    };

    /// <summary>Writes seven rows the way schema 1 did (its DDL, its columns, its checksum) and returns them as entries.</summary>
    private async Task<List<JobEventLogEntry>> WriteVersion1FileAsync()
    {
        (JobId Stream, NewJobEvent Event)[] rows =
        [
            (JobId.Parse("job-a"), Event("evt-a-1", 1) with { TaskId = TaskId.Parse("charge"), Observability = new EventObservability("exec-1", "trace-1", "span-1") }),
            (JobId.Parse("job-b"), Event("evt-b-1", 2) with { Payload = JsonSerializer.SerializeToElement(new { amount = 12.5, items = new[] { "a", "b" } }) }),
            (JobId.Parse("job-a"), Event("evt-a-2", 3) with { Attributes = EventAttributes.Of(("orderId", "42"), ("region", "Île-de-France ✓ \"quoted\"")) }),
            (JobId.Parse("job-b"), Event("evt-b-2", 4) with { Lane = EventLane.Execution, EventType = EventTypeId.Parse("job.attempt-started"), Attributes = EventAttributes.Empty }),
            (JobId.Parse("job-a"), Event("evt-a-3", 5) with { Payload = JsonDocument.Parse("null").RootElement, Observability = new EventObservability(null, "trace-only", null) }),
            (JobId.Unrouted, Event("evt-u-1", 6)),
            (JobId.Parse("job-b"), Event("evt-b-3", 7) with { Payload = JsonDocument.Parse(" { \"spaced\" : [1, 2] } ").RootElement }),
        ];

        await using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await using SqliteTransaction transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        Execute(connection, transaction, "PRAGMA application_id = " + 0x4A4D4A31.ToString(CultureInfo.InvariantCulture) + ";" + CreateV1 + "INSERT INTO jm_schema (version) VALUES (1);");
        List<JobEventLogEntry> entries = [];
        Dictionary<JobId, long> versions = [];
        foreach ((JobId stream, NewJobEvent e) in rows)
        {
            long sequence = versions[stream] = versions.GetValueOrDefault(stream) + 1;
            JobEventLogEntry entry = e.ToEntry(stream, sequence, entries.Count + 1);
            string attributes = JournalRowCodec.AttributesJson(e.Attributes);
            string? payload = JournalRowCodec.PayloadJson(e.Payload);
            await using SqliteCommand insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO jm_entries ({JournalRowCodec.Columns}) VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13, $p14, $p15, $p16);";
            object?[] values =
            [
                entry.Position, stream.Value, sequence, e.EventId.Value, e.EventType.Value, (int)e.Lane, e.TaskId?.Value,
                e.OccurredAt.UtcTicks, JournalRowCodec.OffsetMinutes(e.OccurredAt), e.RecordedAt.UtcTicks, JournalRowCodec.OffsetMinutes(e.RecordedAt),
                attributes, payload, e.Observability.ExecutionId, e.Observability.TraceId, e.Observability.SpanId,
                JournalRowCodec.Checksum(stream, sequence, e, attributes, payload),
            ];
            for (int i = 0; i < values.Length; i++)
            {
                insert.Parameters.AddWithValue($"$p{i}", values[i] ?? DBNull.Value);
            }

            await insert.ExecuteNonQueryAsync();
            entries.Add(entry);
        }

        await transaction.CommitAsync();
        return entries;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        (await command.ExecuteNonQueryAsync()).Should().BeGreaterThan(0);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
