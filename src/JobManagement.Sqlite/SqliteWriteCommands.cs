using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace JobManagement.Sqlite;

/// <summary>
/// The append statements, prepared once per connection and reused for every append (preparing SQL per event
/// would dominate): the writer's, and a unit of work's (<see cref="SqliteJobUnitOfWork"/>), so both write the
/// same rows, checksums and indexes.
/// </summary>
/// <remarks>
/// <para><b>One statement per new event.</b> An append is decided optimistically: the stream's version comes
/// from memory when known, the journal's last position likewise, and each new event is one plain
/// <c>INSERT</c> with its position and sequence given. The database stays the arbiter: UNIQUE (stream,
/// sequence), UNIQUE (stream, event id) and the position's primary key refuse a row that a stale memory or
/// a duplicate event would produce, and a refused request is decided again from fresh reads (the stream's
/// version, each event looked up by id), as before.</para>
/// <para><b>What is remembered is exact.</b> It is only used inside a write transaction (which holds
/// SQLite's write lock), it is dropped when another connection — another process, or a unit of work — has
/// committed since (<c>PRAGMA data_version</c>, checked at the start of each of the writer's batches), and
/// when a transaction does not commit.</para>
/// </remarks>
internal sealed class SqliteWriteCommands : IDisposable
{
    private const int MaxRememberedStreams = 65_536;

    private readonly SqliteCommand _version;
    private readonly SqliteCommand _lastPosition;
    private readonly SqliteCommand _dataVersion;
    private readonly SqliteCommand _find;
    private readonly SqliteRawStatement _usedElsewhere;
    private readonly SqliteRawStatement _insert;
    private readonly SqliteRawStatement _insertJob;
    private readonly SqliteRawStatement _insertCorrelation;
    private readonly SqliteRawStatement _insertAttribute;
    private readonly JournalBodyCodec _codec = new();
    private readonly Dictionary<JobId, long> _versions = [];
    private long _position = -1;
    private long _seenDataVersion = -1;

    public SqliteWriteCommands(SqliteConnection connection)
    {
        _version = Create(connection, "SELECT COALESCE(MAX(sequence), 0) FROM jm_entries WHERE stream = $stream;", "$stream");
        _lastPosition = Create(connection, "SELECT COALESCE(MAX(position), 0) FROM jm_entries;");
        _dataVersion = Create(connection, "PRAGMA data_version;");
        _find = Create(connection, $"SELECT {JournalBodyCodec.Columns} FROM jm_entries WHERE stream = $stream AND event_id = $event_id;", "$stream", "$event_id");
        // On the event_id index; sees the rows of earlier requests in the same (uncommitted) batch. The oldest row
        // through min(position), not ORDER BY, which SQLite answers with a temporary sorter.
        // Raw, and only the stream and type read back: it runs in the single writer for every job created.
        _usedElsewhere = new SqliteRawStatement(connection, "SELECT stream, event_type FROM jm_entries WHERE position = (SELECT min(position) FROM jm_entries WHERE event_id = ?1 AND stream <> ?2);");
        // The per-event inserts bind by position: ?1, ?2, ... in the order of their columns.
        _insert = new SqliteRawStatement(connection, $"INSERT INTO jm_entries ({JournalBodyCodec.Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8);");
        _insertJob = new SqliteRawStatement(connection, "INSERT OR IGNORE INTO jm_jobs (job_id, job_type, position) VALUES (?1, ?2, ?3);");
        _insertCorrelation = new SqliteRawStatement(connection, "INSERT OR IGNORE INTO jm_job_correlation (job_type, key, value, position, job_id) VALUES (?1, ?2, ?3, ?4, ?5);");
        _insertAttribute = new SqliteRawStatement(connection, "INSERT OR IGNORE INTO jm_event_attributes (key, value, position) VALUES (?1, ?2, ?3);");
    }

    public void Enlist(SqliteTransaction transaction)
    {
        foreach (SqliteCommand command in All())
        {
            command.Transaction = transaction;
        }
    }

    /// <summary>
    /// Called by the writer right after it began a batch's write transaction: forgets what it remembers
    /// when another connection has committed since its last batch.
    /// </summary>
    public void BeginBatch()
    {
        long dataVersion = (long)_dataVersion.ExecuteScalar()!;
        if (dataVersion != _seenDataVersion)
        {
            Forget();
            _seenDataVersion = dataVersion;
        }
    }

    /// <summary>Forgets remembered versions and the last position: after a transaction that did not commit, or any unexpected error.</summary>
    public void Forget()
    {
        _versions.Clear();
        _position = -1;
        _seenDataVersion = -1;
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
        return reader.Read() ? _codec.Read(reader) : null;
    }

    /// <summary>
    /// Decides and inserts one append request inside <paramref name="transaction"/> (the writer's batch, or a
    /// unit of work's): returns its <see cref="AppendResult"/>, or the <see cref="JobConcurrencyException"/> or
    /// <see cref="JobCreationConflictException"/> to report. Requests of more than one new event run in a
    /// savepoint, so a refused one leaves nothing.
    /// </summary>
    public object Append(JobId stream, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, SqliteTransaction transaction)
    {
        try
        {
            long version = RememberedVersion(stream);
            if (expectedVersion.IsMetBy(version) && CreationConflict(stream, events, decided: null) is null && TryInsertAll(stream, version, events, transaction) is { } appended)
            {
                return appended;
            }

            // The version check failed, a creation's id is already used in another stream, or a
            // constraint refused a row (a duplicate event, or rows another connection wrote): decide from fresh reads.
            _versions.Remove(stream);
            return Decide(stream, expectedVersion, events, transaction);
        }
        catch
        {
            Forget();
            throw;
        }
    }

    /// <summary>The usual case, every event new: inserts them all, or returns null (nothing left behind) when a constraint refuses one.</summary>
    private AppendResult? TryInsertAll(JobId stream, long version, IReadOnlyList<NewJobEvent> events, SqliteTransaction transaction)
    {
        var outcomes = new AppendOutcome[events.Count];
        if (!TryInsertFresh(stream, version, events, outcomes, events.Count, transaction, out long lastVersion, out long lastPosition))
        {
            return null; // SQLITE_CONSTRAINT: decide again from fresh reads
        }

        Remember(stream, lastVersion, lastPosition);
        return new AppendResult(stream, lastVersion, ImmutableCollectionsMarshal.AsImmutableArray(outcomes));
    }

    /// <summary>The careful path: the stream's version and each event looked up in the database, then the rules of every journal.</summary>
    private object Decide(JobId stream, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, SqliteTransaction transaction)
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

        if (fresh > 0 && CreationConflict(stream, events, outcomes) is { } conflict)
        {
            return conflict;
        }

        if (fresh > 0 && !expectedVersion.IsMetBy(version))
        {
            return new JobConcurrencyException(stream, expectedVersion, version);
        }

        if (fresh == 0)
        {
            return new AppendResult(stream, version, ImmutableCollectionsMarshal.AsImmutableArray(outcomes));
        }

        _position = -1; // read afresh: a refused optimistic attempt may have met rows written elsewhere
        if (!TryInsertFresh(stream, version, events, outcomes, fresh, transaction, out long lastVersion, out long lastPosition))
        {
            // SQLITE_CONSTRAINT: another writer (another process) placed the same sequence or event first.
            return new JobConcurrencyException(stream, expectedVersion, StreamVersion(stream));
        }

        Remember(stream, lastVersion, lastPosition);
        return new AppendResult(stream, lastVersion, ImmutableCollectionsMarshal.AsImmutableArray(outcomes));
    }

    /// <summary>
    /// Inserts the events whose outcome is not decided yet, after <paramref name="version"/> and the last
    /// position; false, with nothing of them left in the transaction, when a constraint refuses one. One new
    /// event needs no savepoint: a refused INSERT is undone by SQLite's statement journal, and its index rows
    /// (INSERT OR IGNORE) cannot be refused.
    /// </summary>
    private bool TryInsertFresh(JobId stream, long version, IReadOnlyList<NewJobEvent> events, AppendOutcome[] outcomes, int fresh, SqliteTransaction transaction, out long lastVersion, out long lastPosition)
    {
        long position = LastPosition();
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
                    outcomes[i] = new AppendOutcome(Insert(stream, ++version, ++position, events[i]), IsDuplicate: false, IsConflict: false);
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

            (lastVersion, lastPosition) = (0, 0);
            return false;
        }

        (lastVersion, lastPosition) = (version, position);
        return true;
    }

    /// <summary>
    /// The refusal of a new <c>job.created</c> whose event id is already the id of any entry in another stream (the
    /// oldest is named), or null.
    /// Only appends that carry a creation pay for the lookup. <paramref name="decided"/> holds the duplicates
    /// found so far (null: every event presumed new).
    /// </summary>
    private JobCreationConflictException? CreationConflict(JobId stream, IReadOnlyList<NewJobEvent> events, AppendOutcome[]? decided)
    {
        for (int i = 0; i < events.Count; i++)
        {
            NewJobEvent next = events[i];
            if ((decided is null || decided[i].Entry is null) && JobCreatedFact.IsCreation(next.Lane, next.EventType))
            {
                if (_usedElsewhere.Bind(1, next.EventId.Value).Bind(2, stream.Value).QueryFirstTextPair() is { } existing)
                {
                    return new JobCreationConflictException(next.EventId, JobId.Parse(existing.First), EventTypeId.Parse(existing.Second), stream);
                }
            }
        }

        return null;
    }

    private long RememberedVersion(JobId stream)
    {
        if (!_versions.TryGetValue(stream, out long version))
        {
            version = StreamVersion(stream);
            if (_versions.Count >= MaxRememberedStreams)
            {
                _versions.Clear();
            }

            _versions[stream] = version;
        }

        return version;
    }

    private long LastPosition()
    {
        if (_position < 0)
        {
            _position = (long)_lastPosition.ExecuteScalar()!;
        }

        return _position;
    }

    private void Remember(JobId stream, long version, long position)
    {
        if (_versions.Count >= MaxRememberedStreams)
        {
            _versions.Clear();
        }

        _versions[stream] = version;
        _position = position;
    }

    private JobEventLogEntry Insert(JobId stream, long sequence, long position, NewJobEvent e)
    {
        JobEventLogEntry entry = e.ToEntry(stream, sequence, position);
        JournalBody row = _codec.Encode(entry);
        _insert.Bind(1, position).Bind(2, stream.Value).Bind(3, sequence).Bind(4, e.EventId.Value).Bind(5, e.EventType.Value)
            .Bind(6, (int)e.Lane).Bind(7, row.Body).Bind(8, row.Checksum).Execute();
        Index(entry);
        return entry;
    }

    public void Dispose()
    {
        foreach (SqliteCommand command in All())
        {
            command.Dispose();
        }

        _insert.Dispose();
        _insertJob.Dispose();
        _insertCorrelation.Dispose();
        _insertAttribute.Dispose();
        _usedElsewhere.Dispose();
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
                _insertAttribute.Bind(1, attribute.Key).Bind(2, attribute.Value).Bind(3, entry.Position).Execute();
            }
        }
        else if (JobCreatedFact.TryRead(entry, out JobType jobType, out EventAttributes? correlation))
        {
            _insertJob.Bind(1, entry.JobId.Value).Bind(2, jobType.Value).Bind(3, entry.Position).Execute();
            foreach (KeyValuePair<string, string> pair in correlation)
            {
                _insertCorrelation.Bind(1, jobType.Value).Bind(2, pair.Key).Bind(3, pair.Value).Bind(4, entry.Position).Bind(5, entry.JobId.Value).Execute();
            }
        }
    }

    private IEnumerable<SqliteCommand> All() => [_version, _lastPosition, _dataVersion, _find];
}
