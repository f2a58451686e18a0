using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace JobManagement.Sqlite;

/// <summary>
/// Open read connections, each keeping its prepared statements, lent to one query at a time.
/// Opening a pooled <see cref="SqliteConnection"/> and preparing a statement cost more than many of
/// the journal's point queries themselves (an event id, a stream's version); a reader kept open
/// with its statements answers the next such query with a reset, a bind and a step.
/// </summary>
/// <remarks>
/// An idle reader holds no read transaction (its statements are reset), so it never blocks a WAL
/// checkpoint. At most <c>maxIdle</c> readers are kept; more concurrent queries open more and close
/// them afterwards.
/// </remarks>
internal sealed class SqliteReaderPool
{
    private readonly string _connectionString;
    private readonly int _maxIdle;
    private readonly ConcurrentBag<SqliteReader> _idle = [];
    private int _idleCount;
    private volatile bool _closed;

    public SqliteReaderPool(string connectionString, int maxIdle)
    {
        _connectionString = connectionString;
        _maxIdle = maxIdle;
    }

    /// <summary>Lends an open reader; dispose it to give it back.</summary>
    public async ValueTask<SqliteReader> RentAsync(CancellationToken cancellationToken)
    {
        if (_idle.TryTake(out SqliteReader? reader))
        {
            Interlocked.Decrement(ref _idleCount);
            return reader;
        }

        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new SqliteReader(this, connection);
    }

    /// <summary>Closes the idle readers; readers lent out are closed when they come back.</summary>
    public void Close()
    {
        _closed = true;
        while (_idle.TryTake(out SqliteReader? reader))
        {
            Interlocked.Decrement(ref _idleCount);
            reader.Close();
        }
    }

    internal void Return(SqliteReader reader)
    {
        if (_closed || Interlocked.Increment(ref _idleCount) > _maxIdle)
        {
            if (!_closed)
            {
                Interlocked.Decrement(ref _idleCount);
            }

            reader.Close();
            return;
        }

        _idle.Add(reader);
        if (_closed)
        {
            Close(); // closed while it was coming back
        }
    }
}
