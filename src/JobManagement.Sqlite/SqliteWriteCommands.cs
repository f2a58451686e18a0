using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace JobManagement.Sqlite;

/// <summary>
/// The append statements, prepared once per connection and reused for every append (preparing SQL per event
/// would dominate): the writer's, and a unit of work's (<see cref="SqliteJobUnitOfWork"/>), so both write the
/// same rows, checksums and indexes.
/// </summary>
internal sealed class SqliteWriteCommands : IDisposable
{
    private readonly SqliteCommand _version;
    private readonly SqliteCommand _find;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _insertJob;
    private readonly SqliteCommand _insertCorrelation;
    private readonly SqliteCommand _insertAttribute;

    public SqliteWriteCommands(SqliteConnection connection)
    {
        _version = Create(connection, "SELECT COALESCE(MAX(sequence), 0) FROM jm_entries WHERE stream = $stream;", "$stream");
        _find = Create(connection, $"SELECT {JournalRowCodec.Columns} FROM jm_entries WHERE stream = $stream AND event_id = $event_id;", "$stream", "$event_id");
        _insert = Create(
            connection,
            """
            INSERT INTO jm_entries (stream, sequence, event_id, event_type, lane, task_id, occurred_ticks, occurred_offset, recorded_ticks, recorded_offset, attributes, payload, execution_id, trace_id, span_id, checksum)
            VALUES ($stream, $sequence, $event_id, $event_type, $lane, $task_id, $occurred_ticks, $occurred_offset, $recorded_ticks, $recorded_offset, $attributes, $payload, $execution_id, $trace_id, $span_id, $checksum)
            RETURNING position;
            """,
            "$stream", "$sequence", "$event_id", "$event_type", "$lane", "$task_id", "$occurred_ticks", "$occurred_offset", "$recorded_ticks", "$recorded_offset", "$attributes", "$payload", "$execution_id", "$trace_id", "$span_id", "$checksum");
        _insertJob = Create(connection, "INSERT OR IGNORE INTO jm_jobs (job_id, job_type, position) VALUES ($job_id, $job_type, $position);", "$job_id", "$job_type", "$position");
        _insertCorrelation = Create(connection, "INSERT OR IGNORE INTO jm_job_correlation (job_type, key, value, position, job_id) VALUES ($job_type, $key, $value, $position, $job_id);", "$job_type", "$key", "$value", "$position", "$job_id");
        _insertAttribute = Create(connection, "INSERT OR IGNORE INTO jm_event_attributes (key, value, position) VALUES ($key, $value, $position);", "$key", "$value", "$position");
    }

    public void Enlist(SqliteTransaction transaction)
    {
        foreach (SqliteCommand command in All())
        {
            command.Transaction = transaction;
        }
    }

    public long StreamVersion(JobId stream)
    {
        _version.Parameters[0].Value = stream.Value;
        return (long)_version.ExecuteScalar()!;
    }

    public JobEventLogEntry? FindInStream(JobId stream, EventId eventId)
    {
        _find.Parameters[0].Value = stream.Value;
        _find.Parameters[1].Value = eventId.Value;
        using SqliteDataReader reader = _find.ExecuteReader();
        return reader.Read() ? JournalRowCodec.Read(reader) : null;
    }

    public JobEventLogEntry Insert(JobId stream, long sequence, NewJobEvent e)
    {
        string attributes = JournalRowCodec.AttributesJson(e.Attributes);
        string? payload = JournalRowCodec.PayloadJson(e.Payload);
        SqliteParameterCollection p = _insert.Parameters;
        p[0].Value = stream.Value;
        p[1].Value = sequence;
        p[2].Value = e.EventId.Value;
        p[3].Value = e.EventType.Value;
        p[4].Value = (int)e.Lane;
        p[5].Value = (object?)e.TaskId?.Value ?? DBNull.Value;
        p[6].Value = e.OccurredAt.UtcTicks;
        p[7].Value = (int)e.OccurredAt.Offset.TotalMinutes;
        p[8].Value = e.RecordedAt.UtcTicks;
        p[9].Value = (int)e.RecordedAt.Offset.TotalMinutes;
        p[10].Value = attributes;
        p[11].Value = (object?)payload ?? DBNull.Value;
        p[12].Value = (object?)e.Observability.ExecutionId ?? DBNull.Value;
        p[13].Value = (object?)e.Observability.TraceId ?? DBNull.Value;
        p[14].Value = (object?)e.Observability.SpanId ?? DBNull.Value;
        p[15].Value = JournalRowCodec.Checksum(stream, sequence, e, attributes, payload);
        long position = (long)_insert.ExecuteScalar()!;

        JobEventLogEntry entry = e.ToEntry(stream, sequence, position);
        Index(entry);
        return entry;
    }

    /// <summary>
    /// Decides and inserts one append request inside <paramref name="transaction"/> (the writer's batch, or a
    /// unit of work's): returns its <see cref="AppendResult"/>, or the <see cref="JobConcurrencyException"/>
    /// to report. Requests of more than one new event run in a savepoint, so a refused one leaves nothing.
    /// </summary>
    public object Append(JobId stream, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, SqliteTransaction transaction)
    {
        long version = StreamVersion(stream);
        var outcomes = new AppendOutcome[events.Count];
        int fresh = 0;
        for (int i = 0; i < events.Count; i++)
        {
            NewJobEvent next = events[i];
            if (FindInStream(stream, next.EventId) is { } original)
            {
                outcomes[i] = new AppendOutcome(original, IsDuplicate: true, IsConflict: !next.HasSameContentAs(original));
            }
            else
            {
                fresh++;
            }
        }

        if (fresh > 0 && !expectedVersion.IsMetBy(version))
        {
            return new JobConcurrencyException(stream, expectedVersion, version);
        }

        if (fresh == 0)
        {
            return new AppendResult(stream, version, ImmutableCollectionsMarshal.AsImmutableArray(outcomes));
        }

        // One new event needs no savepoint: a refused INSERT is undone by SQLite's statement journal,
        // and its index rows (INSERT OR IGNORE) cannot be refused. Saves two statements per append.
        bool savepoint = fresh > 1;
        if (savepoint)
        {
            transaction.Save("append");
        }

        try
        {
            for (int i = 0; i < outcomes.Length; i++)
            {
                if (outcomes[i].Entry is null)
                {
                    outcomes[i] = new AppendOutcome(Insert(stream, ++version, events[i]), IsDuplicate: false, IsConflict: false);
                }
            }

            if (savepoint)
            {
                transaction.Release("append");
            }
        }
        catch (SqliteException exception) when (savepoint || exception.SqliteErrorCode == 19)
        {
            if (savepoint)
            {
                transaction.Rollback("append");
                transaction.Release("append");
            }

            if (exception.SqliteErrorCode != 19)
            {
                throw; // nothing of this request is left in the transaction
            }

            // SQLITE_CONSTRAINT: another writer (another process) placed the same sequence or event first.
            return new JobConcurrencyException(stream, expectedVersion, StreamVersion(stream));
        }

        return new AppendResult(stream, version, ImmutableCollectionsMarshal.AsImmutableArray(outcomes));
    }

    public void Dispose()
    {
        foreach (SqliteCommand command in All())
        {
            command.Dispose();
        }
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (string name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    /// <summary>The derived lookups (job index, attribute index), written in the same transaction as the entry.</summary>
    private void Index(JobEventLogEntry entry)
    {
        if (entry.Lane == EventLane.Domain)
        {
            foreach (KeyValuePair<string, string> attribute in entry.Attributes)
            {
                Run(_insertAttribute, attribute.Key, attribute.Value, entry.Position);
            }
        }
        else if (JobCreatedFact.TryRead(entry, out JobType jobType, out EventAttributes? correlation))
        {
            Run(_insertJob, entry.JobId.Value, jobType.Value, entry.Position);
            foreach (KeyValuePair<string, string> pair in correlation)
            {
                Run(_insertCorrelation, jobType.Value, pair.Key, pair.Value, entry.Position, entry.JobId.Value);
            }
        }
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }

    private IEnumerable<SqliteCommand> All() => [_version, _find, _insert, _insertJob, _insertCorrelation, _insertAttribute];
}
