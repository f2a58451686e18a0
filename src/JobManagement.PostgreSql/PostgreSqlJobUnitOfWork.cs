using System.Data;
using Npgsql;

namespace JobManagement.PostgreSql;

/// <summary>
/// A unit of work over the PostgreSQL journal's database: the handler writes through <see cref="Connection"/>
/// and <see cref="Transaction"/>, and the engine appends the attempt's <c>job.attempt.succeeded</c> entry in
/// the same transaction before committing it, so the handler's writes and the job's completion exist
/// together or not at all. Register it with <c>jobs.UsePostgreSqlUnitOfWork()</c>; in a handler, resolve it
/// from the attempt's scope: <c>context.Services.GetRequiredService&lt;PostgreSqlJobUnitOfWork&gt;()</c>.
/// </summary>
/// <remarks>
/// <para>Each attempt takes a connection from the journal's data source and begins a <b>read committed</b>
/// transaction before the handler runs (the journal needs read committed to number entries after the latest
/// committed position). The handler's own writes take no journal lock; the journal's position lock is taken
/// only by the success append, right before the commit, so other appends wait for one round trip at most.</para>
/// <para>A handler's tables must live in the journal's database (any schema). Not thread-safe: one per
/// attempt (scoped).</para>
/// </remarks>
public sealed class PostgreSqlJobUnitOfWork : IJobUnitOfWork, IJobJournalTransaction, IAsyncDisposable
{
    private readonly PostgreSqlJobEventJournal _journal;
    private NpgsqlConnection? _connection;
    private NpgsqlTransaction? _transaction;
    private bool _ended;
    private bool _disposed;

    /// <summary>Initializes a unit of work over the engine's journal, which must be the PostgreSQL journal.</summary>
    /// <param name="journal">The engine's journal.</param>
    /// <exception cref="InvalidOperationException">The journal is not a <see cref="PostgreSqlJobEventJournal"/>.</exception>
    public PostgreSqlJobUnitOfWork(IJobEventJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        _journal = journal as PostgreSqlJobEventJournal
            ?? throw new InvalidOperationException($"PostgreSqlJobUnitOfWork needs the PostgreSQL journal (UsePostgreSqlJournal); the engine's journal is a {journal.GetType().Name}.");
    }

    /// <summary>Gets the attempt's open connection to the journal's database.</summary>
    /// <exception cref="InvalidOperationException">The unit of work was not begun by an attempt.</exception>
    public NpgsqlConnection Connection => _connection ?? throw NotBegun();

    /// <summary>Gets the attempt's transaction (Npgsql enlists every command of <see cref="Connection"/> in it).</summary>
    /// <exception cref="InvalidOperationException">The unit of work was not begun by an attempt.</exception>
    public NpgsqlTransaction Transaction => _transaction ?? throw NotBegun();

    /// <inheritdoc />
    public bool IsActive => _transaction is not null && !_ended;

    /// <summary>Gets the journal this unit of work writes to.</summary>
    internal PostgreSqlJobEventJournal Journal => _journal;

    /// <inheritdoc />
    public async ValueTask BeginAsync(JobAttemptInfo attempt, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connection is not null)
        {
            throw new InvalidOperationException("This unit of work has already begun: it serves one attempt.");
        }

        await _journal.InitializeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _connection = await _journal.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            _transaction = await _connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException exception)
        {
            throw PostgreSqlErrors.Translate(exception, "begin a unit of work's transaction");
        }
    }

    /// <inheritdoc />
    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        if (!IsActive)
        {
            return;
        }

        try
        {
            await _transaction!.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // A COMMIT that fails (a deferred constraint, a lost connection) leaves nothing to roll back.
            _ended = true;
        }
    }

    /// <inheritdoc />
    public async ValueTask RollbackAsync(CancellationToken cancellationToken)
    {
        if (!IsActive)
        {
            return;
        }

        _ended = true;
        try
        {
            await _transaction!.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException)
        {
            // The connection is gone, and the server rolls back a transaction whose connection it lost;
            // throwing here would hide the attempt's own failure.
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
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static InvalidOperationException NotBegun() =>
        new("This unit of work was not begun by an attempt: resolve it from the handler's scope (context.Services).");
}
