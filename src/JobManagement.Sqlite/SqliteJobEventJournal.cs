using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace JobManagement.Sqlite;

/// <summary>
/// A durable journal in one SQLite file: the embedded default for samples and single-node apps.
/// WAL mode with <c>synchronous=FULL</c> by default; concurrent appends are group-committed;
/// uniqueness of (stream, sequence) and (stream, event id) is enforced by the database; every
/// row carries a checksum verified on read. The schema is created on first use.
/// </summary>
/// <remarks>
/// Thread-safe. Several processes may open the same file (SQLite serialises their writes).
/// Dispose it asynchronously (<c>await using</c>, or through the host) to flush the writer.
/// </remarks>
public sealed partial class SqliteJobEventJournal : ITransactionalJobEventJournal, IAsyncDisposable
{
    private readonly SqliteJournalOptions _options;
    private readonly TimeProvider _time;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly SqliteReaderPool _readers;
    private SqliteAppendWriter? _writer;
    private bool _disposed;

    /// <summary>Initializes a journal over a file. Nothing is opened until first use.</summary>
    /// <param name="options">The options; <see cref="SqliteJournalOptions.ConnectionString"/> is required.</param>
    /// <param name="timeProvider">The clock for the writer's batching wait; <see cref="TimeProvider.System"/> when null.</param>
    public SqliteJobEventJournal(SqliteJournalOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString)
        {
            DefaultTimeout = (int)Math.Ceiling(options.BusyTimeout.TotalSeconds),
        };
        _connectionString = builder.ConnectionString;
        DataSource = builder.DataSource;
        _readers = new SqliteReaderPool(_connectionString, maxIdle: Math.Max(4, 2 * Environment.ProcessorCount));
    }

    /// <summary>Gets the database file (or SQLite data source) the journal uses.</summary>
    public string DataSource { get; }

    /// <summary>Opens the file, checks it is a journal (or new), and creates the schema. Called on first use; call it at start to fail fast.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the journal is ready.</returns>
    /// <exception cref="JobJournalSchemaException">The file is not a JobManagement journal, or its schema is newer than this code.</exception>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken = default) => await WriterAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<AppendResult> AppendAsync(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateAppend(jobId, events);
        cancellationToken.ThrowIfCancellationRequested();
        SqliteAppendWriter writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        return await writer.EnqueueAsync(jobId, expectedVersion, events, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JobEventLogEntry> ReadStreamAsync(JobId jobId, long fromSequence = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateRead(jobId, fromSequence);
        await WriterAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteReader reader = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using SqliteEntryStatement statement = Prepare(reader, $"SELECT {JournalBodyCodec.Columns} FROM jm_entries WHERE stream = $stream AND sequence >= $from ORDER BY sequence;", ("$stream", jobId.Value), ("$from", fromSequence));
        long expected = fromSequence;
        while (Next(statement, cancellationToken) is { } entry)
        {
            if (entry.Sequence != expected)
            {
                throw new JobJournalCorruptionException(jobId, expected, string.Create(CultureInfo.InvariantCulture, $"sequence {expected} is missing (the next row is {entry.Sequence})"));
            }

            expected++;
            yield return entry;
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobEventLogEntry>> ReadAllAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromPosition, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return await QueryEntriesAsync($"SELECT {JournalBodyCodec.Columns} FROM jm_entries WHERE position >= $from ORDER BY position LIMIT $max;", Math.Min(maxCount, 16_384), cancellationToken, ("$from", fromPosition), ("$max", maxCount)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobEventLogEntry>> FindByEventIdAsync(EventId eventId, CancellationToken cancellationToken = default)
    {
        JournalArguments.ThrowIfDefault(eventId.IsDefault, nameof(eventId));
        return await QueryEntriesAsync($"SELECT {JournalBodyCodec.Columns} FROM jm_entries WHERE event_id = $event_id ORDER BY position;", 1, cancellationToken, ("$event_id", eventId.Value)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<long> GetStreamVersionAsync(JobId jobId, CancellationToken cancellationToken = default)
    {
        JournalArguments.ThrowIfDefault(jobId.IsDefault, nameof(jobId));
        await WriterAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteReader reader = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        SqliteCommand command = reader.Command("SELECT COALESCE(MAX(sequence), 0) FROM jm_entries WHERE stream = $stream;", ("$stream", jobId.Value));
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }
        catch (SqliteException exception)
        {
            throw Translate(exception);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobId>> FindJobsAsync(JobLookup lookup, CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateLookup(lookup);
        await WriterAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteReader reader = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        SqliteCommand command = lookup.CorrelationKey is null
            ? reader.Command("SELECT job_id FROM jm_jobs WHERE job_type = $type ORDER BY position;", ("$type", lookup.JobType.Value))
            : reader.Command("SELECT job_id FROM jm_job_correlation WHERE job_type = $type AND key = $key AND value = $value ORDER BY position;", ("$type", lookup.JobType.Value), ("$key", lookup.CorrelationKey), ("$value", lookup.CorrelationValue!));
        await using SqliteDataReader rows = await ExecuteReaderAsync(command, cancellationToken).ConfigureAwait(false);
        List<JobId> jobs = [];
        while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string text = rows.GetString(0);
            jobs.Add(JobId.TryParse(text, out JobId jobId) ? jobId : throw new JobJournalCorruptionException(JobId.Unrouted, null, $"the job index holds an invalid job id '{text}'"));
        }

        return jobs;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JobEventLogEntry> FindRecordedEventsAsync(RecordedEventLookup lookup, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateLookup(lookup);
        string sql = lookup.AttributeKey is null
            ? $"SELECT {JournalBodyCodec.Columns} FROM jm_entries WHERE lane = 0 AND event_type = $type ORDER BY position;"
            : $"SELECT {JournalBodyCodec.ColumnsOf("e")} FROM jm_event_attributes a JOIN jm_entries e ON e.position = a.position WHERE a.key = $key AND a.value = $value {(lookup.EventType is null ? string.Empty : "AND e.event_type = $type")} ORDER BY a.position;";
        // Streamed row by row: a lookup over a large journal never holds its whole result in memory.
        await WriterAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteReader reader = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using SqliteEntryStatement statement = Prepare(reader, sql, ("$type", lookup.EventType?.Value), ("$key", lookup.AttributeKey), ("$value", lookup.AttributeValue));
        while (Next(statement, cancellationToken) is { } entry)
        {
            yield return entry;
        }
    }

    /// <summary>Reads a pragma on the writer's connection (for tests of the durability settings).</summary>
    internal async ValueTask<long> WriterPragmaAsync(string pragma)
    {
        SqliteAppendWriter writer = await WriterAsync(CancellationToken.None).ConfigureAwait(false);
        return writer.Pragma(pragma);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_writer is not null)
        {
            await _writer.DisposeAsync().ConfigureAwait(false);
        }

        // Close the pooled reader connections too, so the last close checkpoints the WAL into the file.
        _readers.Close();
        await using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        _initGate.Dispose();
    }

    private static async ValueTask<SqliteDataReader> ExecuteReaderAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException exception)
        {
            throw Translate(exception);
        }
    }

    private static Exception Translate(SqliteException exception) => exception.SqliteErrorCode switch
    {
        11 or 26 => new JobJournalCorruptionException(JobId.Unrouted, null, $"the SQLite file is damaged or not a database: {exception.Message}", exception),
        _ => new JobJournalException($"The SQLite journal failed: {exception.Message}", exception),
    };

    private async ValueTask<IReadOnlyList<JobEventLogEntry>> QueryEntriesAsync(string sql, int capacity, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await WriterAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteReader reader = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        using SqliteEntryStatement statement = Prepare(reader, sql, parameters);
        List<JobEventLogEntry> entries = new(capacity);
        while (Next(statement, cancellationToken) is { } entry)
        {
            entries.Add(entry);
        }

        return entries;
    }

    private SqliteEntryStatement Prepare(SqliteReader reader, string sql, params (string Name, object? Value)[] parameters)
    {
        try
        {
            return new SqliteEntryStatement(reader, _options.BusyTimeout, sql, parameters);
        }
        catch (SqliteException exception)
        {
            throw Translate(exception);
        }
    }

    /// <summary>The next verified entry, or null at the end. SQLite steps synchronously (as Microsoft.Data.Sqlite's ReadAsync does).</summary>
    private static JobEventLogEntry? Next(SqliteEntryStatement statement, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return statement.TryRead(out JobEventLogEntry? entry) ? entry : null;
        }
        catch (SqliteException exception)
        {
            throw Translate(exception);
        }
    }

    private async ValueTask<SqliteReader> OpenReaderAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _readers.RentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException exception)
        {
            throw Translate(exception);
        }
    }

    private async ValueTask<SqliteAppendWriter> WriterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Volatile.Read(ref _writer) is { } ready)
        {
            return ready;
        }

        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_writer is null)
            {
                CreateDirectory();
                var connection = new SqliteConnection(_connectionString);
                try
                {
                    await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                    SqliteSchema.Initialize(connection, _options.Durability);
                }
                catch (SqliteException exception) when (exception.SqliteErrorCode == 26)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    throw new JobJournalSchemaException($"'{DataSource}' is not a SQLite database, so it cannot be a JobManagement journal. Point the SQLite journal at a new file or an existing journal.", exception);
                }
                catch
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                    throw;
                }

                Volatile.Write(ref _writer, new SqliteAppendWriter(connection, _options, _time));
            }

            return _writer;
        }
        finally
        {
            _initGate.Release();
        }
    }

    private void CreateDirectory()
    {
        if (string.IsNullOrEmpty(DataSource) || DataSource.StartsWith(':') || DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(DataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
