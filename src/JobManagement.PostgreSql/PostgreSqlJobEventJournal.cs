using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Polly;
using Polly.Retry;

namespace JobManagement.PostgreSql;

/// <summary>
/// A journal in PostgreSQL, shared by several app instances ("nodes"). Uniqueness of
/// (stream, sequence) and (stream, event id) is enforced by the database, which is the arbiter
/// between nodes; positions are assigned under a transaction-scoped advisory lock, so they are
/// dense and commit in order and a reader of "everything from position P" never skips an entry;
/// concurrent appends are group-committed; every row carries a checksum verified on read;
/// transient faults are retried. The schema is created on first use.
/// </summary>
/// <remarks>
/// <para><b>Position strategy (the event-store gap problem).</b> With a plain sequence, a
/// transaction that took position 11 can commit before the one that took 10, and a reader that
/// saw 11 and moved on would never see 10. Here every append transaction first takes
/// <c>pg_advisory_xact_lock</c> on a key derived from the schema name and numbers its entries
/// after <c>max(position)</c>; the lock is released only once the commit is visible. Appends of all
/// nodes to one schema are therefore serialised (group commit amortises this: one transaction
/// carries many callers' appends), positions have no holes, and they become visible in order.</para>
/// <para>Thread-safe. Dispose it asynchronously (<c>await using</c>, or through the host) to flush
/// the writer; a data source built from <see cref="PostgreSqlJournalOptions.ConnectionString"/> is
/// disposed with it, one passed in <see cref="PostgreSqlJournalOptions.DataSource"/> is not.</para>
/// </remarks>
public sealed partial class PostgreSqlJobEventJournal : ITransactionalJobEventJournal, IAsyncDisposable
{
    private const int PageSize = 1_000;

    private readonly PostgreSqlJournalOptions _options;
    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;
    private readonly PostgreSqlSchema _schema;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _retry;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private PostgreSqlAppendWriter? _writer;
    private bool _disposed;

    /// <summary>Initializes a journal. Nothing is opened until first use.</summary>
    /// <param name="options">The options; a connection string or a data source is required.</param>
    /// <param name="logger">Receives the start-up durability warning and retry notices; none when null.</param>
    /// <param name="timeProvider">The clock for batching waits and retry delays; <see cref="TimeProvider.System"/> when null.</param>
    public PostgreSqlJobEventJournal(PostgreSqlJournalOptions options, ILogger<PostgreSqlJobEventJournal>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _schema = new PostgreSqlSchema(options.Schema);
        if (options.DataSource is { } dataSource)
        {
            _dataSource = dataSource;
        }
        else
        {
            var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            builder.ApplicationName ??= "JobManagement";
            _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
            _ownsDataSource = true;
        }

        _retry = BuildRetry();
    }

    /// <summary>Gets the PostgreSQL schema holding the journal's tables.</summary>
    public string Schema => _schema.Name;

    /// <summary>Connects, checks the schema is a journal (or absent), creates it if needed, and checks durability settings. Called on first use; call it at start to fail fast.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the journal is ready.</returns>
    /// <exception cref="JobJournalSchemaException">The schema holds other tables, or a journal newer than this code.</exception>
    /// <exception cref="JobJournalException">The database cannot be reached.</exception>
    public async ValueTask InitializeAsync(CancellationToken cancellationToken = default) => await WriterAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<AppendResult> AppendAsync(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateAppend(jobId, events);
        cancellationToken.ThrowIfCancellationRequested();
        PostgreSqlAppendWriter writer = await WriterAsync(cancellationToken).ConfigureAwait(false);
        return await writer.EnqueueAsync(jobId, expectedVersion, events, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JobEventLogEntry> ReadStreamAsync(JobId jobId, long fromSequence = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateRead(jobId, fromSequence);
        long expected = fromSequence;
        while (true)
        {
            IReadOnlyList<JobEventLogEntry> page = await QueryEntriesAsync(
                $"SELECT {JournalRowCodec.Columns} FROM {_schema.Entries} WHERE stream = $1 AND sequence >= $2 ORDER BY sequence LIMIT {PageSize}",
                "read a stream",
                cancellationToken,
                jobId.Value,
                expected).ConfigureAwait(false);
            foreach (JobEventLogEntry entry in page)
            {
                if (entry.Sequence != expected)
                {
                    throw new JobJournalCorruptionException(jobId, expected, string.Create(CultureInfo.InvariantCulture, $"sequence {expected} is missing (the next row is {entry.Sequence})"));
                }

                expected++;
                yield return entry;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobEventLogEntry>> ReadAllAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromPosition, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        return await QueryEntriesAsync($"SELECT {JournalRowCodec.Columns} FROM {_schema.Entries} WHERE position >= $1 ORDER BY position LIMIT $2", "read the journal", cancellationToken, fromPosition, (long)maxCount).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobEventLogEntry>> FindByEventIdAsync(EventId eventId, CancellationToken cancellationToken = default)
    {
        JournalArguments.ThrowIfDefault(eventId.IsDefault, nameof(eventId));
        return await QueryEntriesAsync($"SELECT {JournalRowCodec.Columns} FROM {_schema.Entries} WHERE event_id = $1 ORDER BY position", "find an event id", cancellationToken, eventId.Value).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<long> GetStreamVersionAsync(JobId jobId, CancellationToken cancellationToken = default)
    {
        JournalArguments.ThrowIfDefault(jobId.IsDefault, nameof(jobId));
        IReadOnlyList<long> version = await QueryAsync(
            $"SELECT COALESCE(max(sequence), 0) FROM {_schema.Entries} WHERE stream = $1",
            "read a stream's version",
            static reader => reader.GetInt64(0),
            cancellationToken,
            jobId.Value).ConfigureAwait(false);
        return version[0];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<JobId>> FindJobsAsync(JobLookup lookup, CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateLookup(lookup);
        IReadOnlyList<string> ids = lookup.CorrelationKey is null
            ? await QueryAsync($"SELECT job_id FROM {_schema.Jobs} WHERE job_type = $1 ORDER BY position", "find jobs", static reader => reader.GetString(0), cancellationToken, lookup.JobType.Value).ConfigureAwait(false)
            : await QueryAsync($"SELECT job_id FROM {_schema.JobCorrelation} WHERE job_type = $1 AND key = $2 AND value = $3 ORDER BY position", "find jobs", static reader => reader.GetString(0), cancellationToken, lookup.JobType.Value, lookup.CorrelationKey, lookup.CorrelationValue!).ConfigureAwait(false);
        return ids.Select(static text => JobId.TryParse(text, out JobId jobId) ? jobId : throw new JobJournalCorruptionException(JobId.Unrouted, null, $"the job index holds an invalid job id '{text}'")).ToArray();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<JobEventLogEntry> FindRecordedEventsAsync(RecordedEventLookup lookup, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        JournalArguments.ValidateLookup(lookup);
        string sql = lookup.AttributeKey is null
            ? $"SELECT {JournalRowCodec.Columns} FROM {_schema.Entries} WHERE lane = 0 AND event_type = $2 AND position > $1 ORDER BY position LIMIT {PageSize}"
            : $"SELECT {JournalRowCodec.ColumnsOf("e")} FROM {_schema.EventAttributes} a JOIN {_schema.Entries} e ON e.position = a.position WHERE a.key = $3 AND a.value = $4 AND a.position > $1 AND ($2::text IS NULL OR e.event_type = $2) ORDER BY a.position LIMIT {PageSize}";
        long after = 0;
        while (true)
        {
            IReadOnlyList<JobEventLogEntry> page = await QueryEntriesAsync(sql, "find recorded events", cancellationToken, after, lookup.EventType?.Value, lookup.AttributeKey, lookup.AttributeValue).ConfigureAwait(false);
            foreach (JobEventLogEntry entry in page)
            {
                after = entry.Position;
                yield return entry;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }
        }
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

        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _initGate.Dispose();
    }

    private ResiliencePipeline BuildRetry()
    {
        var retry = new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Exception>(static exception => exception is TransientCommitStateException || PostgreSqlErrors.IsTransient(exception)),
            MaxRetryAttempts = Math.Max(_options.MaxRetryAttempts, 1),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.RetryBaseDelay,
            MaxDelay = TimeSpan.FromSeconds(5),
            OnRetry = arguments =>
            {
                Log.TransientRetry(_logger, arguments.Outcome.Exception!, _schema.Name, arguments.Context.OperationKey ?? "an operation", arguments.AttemptNumber + 1, arguments.RetryDelay);
                return ValueTask.CompletedTask;
            },
        };
        ResiliencePipelineBuilder builder = new() { TimeProvider = _time };
        return _options.MaxRetryAttempts == 0 ? ResiliencePipeline.Empty : builder.AddRetry(retry).Build();
    }

    private async ValueTask<IReadOnlyList<JobEventLogEntry>> QueryEntriesAsync(string sql, string operation, CancellationToken cancellationToken, params object?[] parameters) =>
        await QueryAsync(sql, operation, JournalRowCodec.Read, cancellationToken, parameters).ConfigureAwait(false);

    /// <summary>Runs a query on a pooled connection, retrying transient faults, and materialises its rows.</summary>
    private async ValueTask<IReadOnlyList<T>> QueryAsync<T>(string sql, string operation, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken, params object?[] parameters)
    {
        await WriterAsync(cancellationToken).ConfigureAwait(false);
        ResilienceContext context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _retry.ExecuteAsync(
                static async (context, state) =>
                {
                    await using NpgsqlConnection connection = await state.DataSource.OpenConnectionAsync(context.CancellationToken).ConfigureAwait(false);
                    await using var command = new NpgsqlCommand(state.Sql, connection);
                    foreach (object? value in state.Parameters)
                    {
                        command.Parameters.Add(value is null ? new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } : new NpgsqlParameter { Value = value });
                    }

                    await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(context.CancellationToken).ConfigureAwait(false);
                    List<T> rows = [];
                    while (await reader.ReadAsync(context.CancellationToken).ConfigureAwait(false))
                    {
                        rows.Add(state.Read(reader));
                    }

                    return (IReadOnlyList<T>)rows;
                },
                context,
                (DataSource: _dataSource, Sql: sql, Parameters: parameters, Read: read)).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw PostgreSqlErrors.Translate(exception, operation);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<PostgreSqlAppendWriter> WriterAsync(CancellationToken cancellationToken)
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
                string synchronousCommit = await InitializeSchemaAsync(cancellationToken).ConfigureAwait(false);
                if (string.Equals(synchronousCommit, "off", StringComparison.OrdinalIgnoreCase))
                {
                    Log.SynchronousCommitOff(_logger, synchronousCommit, _schema.Name);
                }

                Volatile.Write(ref _writer, new PostgreSqlAppendWriter(_dataSource, _schema, _options, _retry, _logger, _time));
            }

            return _writer;
        }
        finally
        {
            _initGate.Release();
        }
    }

    private async ValueTask<string> InitializeSchemaAsync(CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get("initialize the schema", cancellationToken);
        try
        {
            return await _retry.ExecuteAsync(
                static async (context, state) =>
                {
                    await using NpgsqlConnection connection = await state.DataSource.OpenConnectionAsync(context.CancellationToken).ConfigureAwait(false);
                    return await state.Schema.InitializeAsync(connection, context.CancellationToken).ConfigureAwait(false);
                },
                context,
                (DataSource: _dataSource, Schema: _schema)).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw PostgreSqlErrors.Translate(exception, $"initialize its schema '{_schema.Name}'");
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
