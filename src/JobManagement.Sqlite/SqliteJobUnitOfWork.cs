using Microsoft.Data.Sqlite;

namespace JobManagement.Sqlite;

/// <summary>
/// A unit of work over the SQLite journal's own database: the handler writes through <see cref="Connection"/>
/// and <see cref="Transaction"/>, and the engine appends the attempt's <c>job.attempt.succeeded</c> entry in
/// the same transaction before committing it, so the handler's writes and the job's completion exist
/// together or not at all. Register it with <c>jobs.UseSqliteUnitOfWork()</c>; in a handler, resolve it from
/// the attempt's scope: <c>context.Services.GetRequiredService&lt;SqliteJobUnitOfWork&gt;()</c>.
/// </summary>
/// <remarks>
/// <para><b>Begun on first use.</b> The connection opens and the transaction begins (<c>BEGIN IMMEDIATE</c>)
/// the first time the handler reads <see cref="Connection"/> or <see cref="Transaction"/>. A handler that
/// never does holds no lock, and its success is recorded the ordinary way.</para>
/// <para><b>SQLite has one writer.</b> From that first use until the commit, this transaction holds the
/// database's write lock: the journal's own writer (every other append of this process: other jobs, lease
/// renewals, ingestion) and every other process wait, for up to <see cref="SqliteJournalOptions.BusyTimeout"/>,
/// after which their appends fail. Do slow work (network calls) before touching the connection, keep the
/// transaction short, and do not report progress, emit events or start jobs after touching it: those
/// appends would wait for the lock this very handler holds. <c>IMMEDIATE</c> rather than <c>DEFERRED</c>
/// because a deferred transaction that read before writing fails with <c>SQLITE_BUSY</c> as soon as the
/// journal commits anything in between — which it does all the time.</para>
/// <para>The connection has the journal's durability (<c>synchronous</c>); its other settings, such as
/// <c>Foreign Keys=True</c>, come from the journal's connection string. Not thread-safe: one per attempt
/// (scoped).</para>
/// </remarks>
public sealed class SqliteJobUnitOfWork : IJobUnitOfWork, IJobJournalTransaction, IAsyncDisposable
{
    private readonly SqliteJobEventJournal _journal;
    private SqliteConnection? _connection;
    private SqliteTransaction? _transaction;
    private SqliteWriteCommands? _commands;
    private bool _begun;
    private bool _ended;
    private bool _disposed;

    /// <summary>Initializes a unit of work over the engine's journal, which must be the SQLite journal.</summary>
    /// <param name="journal">The engine's journal.</param>
    /// <exception cref="InvalidOperationException">The journal is not a <see cref="SqliteJobEventJournal"/>.</exception>
    public SqliteJobUnitOfWork(IJobEventJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        _journal = journal as SqliteJobEventJournal
            ?? throw new InvalidOperationException($"SqliteJobUnitOfWork needs the SQLite journal (UseSqliteJournal); the engine's journal is a {journal.GetType().Name}.");
    }

    /// <summary>Gets the open connection to the journal's database, beginning the transaction on first use.</summary>
    /// <exception cref="InvalidOperationException">The unit of work was not begun by an attempt, or has ended.</exception>
    public SqliteConnection Connection => Begin().Connection!;

    /// <summary>Gets the transaction to set on every command (<c>command.Transaction</c>), beginning it on first use.</summary>
    /// <exception cref="InvalidOperationException">The unit of work was not begun by an attempt, or has ended.</exception>
    public SqliteTransaction Transaction => Begin();

    /// <inheritdoc />
    public bool IsActive => _transaction is not null && !_ended;

    /// <summary>Gets the journal this unit of work writes to.</summary>
    internal SqliteJobEventJournal Journal => _journal;

    /// <summary>Gets the append statements, prepared on this connection and enlisted in the transaction.</summary>
    internal SqliteWriteCommands Commands
    {
        get
        {
            if (_commands is null)
            {
                _commands = new SqliteWriteCommands(Connection);
                _commands.Enlist(Transaction);
            }

            return _commands;
        }
    }

    /// <inheritdoc />
    public async ValueTask BeginAsync(JobAttemptInfo attempt, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_begun)
        {
            throw new InvalidOperationException("This unit of work has already begun: it serves one attempt.");
        }

        await _journal.InitializeAsync(cancellationToken).ConfigureAwait(false);
        _begun = true;
    }

    /// <inheritdoc />
    public ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        if (IsActive)
        {
            _transaction!.Commit(); // throws (and stays open for the rollback) when, say, a deferred constraint fails
        }

        _ended = true;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RollbackAsync(CancellationToken cancellationToken)
    {
        if (IsActive && _connection!.State == System.Data.ConnectionState.Open && !IsAutocommit(_connection))
        {
            _transaction!.Rollback();
        }

        _ended = true;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _commands?.Dispose();
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync().ConfigureAwait(false); // rolls back what was not committed
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Whether SQLite already ended the transaction itself (some errors roll it back automatically).</summary>
    private static bool IsAutocommit(SqliteConnection connection) => SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) != 0;

    private SqliteTransaction Begin()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_ended)
        {
            throw new InvalidOperationException("This unit of work has ended (committed or rolled back).");
        }

        if (_transaction is not null)
        {
            return _transaction;
        }

        if (!_begun)
        {
            throw new InvalidOperationException("This unit of work was not begun by an attempt: resolve it from the handler's scope (context.Services).");
        }

        _connection = _journal.OpenUnitOfWorkConnection();
        _transaction = _connection.BeginTransaction(deferred: false);
        return _transaction;
    }
}
