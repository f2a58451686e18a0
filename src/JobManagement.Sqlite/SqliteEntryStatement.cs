using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace JobManagement.Sqlite;

/// <summary>
/// A query for entries (<see cref="JournalBodyCodec.Columns"/>) run on the connection's native SQLite handle
/// through SQLitePCLRaw, the library Microsoft.Data.Sqlite itself is built on. Why not through
/// <see cref="SqliteDataReader"/>: its per-column accessors cost ≈ 0.2 µs each (type checks, a copy into a
/// new string or array), about as much as SQLite's own step; here each column is a span over SQLite's row
/// buffer, and the checksum is verified over exactly those bytes (docs/benchmarks.md, "Durable journals").
/// </summary>
/// <remarks>Owned by one reader at a time; dispose it before its connection.</remarks>
internal sealed class SqliteEntryStatement : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;
    private readonly JournalBodyCodec _codec;

    /// <summary>Takes the reader's statement for <paramref name="sql"/> (prepared once per reader) and binds the parameters it names (<c>$name</c>; a long, a string or null).</summary>
    /// <exception cref="SqliteException">SQLite refused the statement.</exception>
    public SqliteEntryStatement(SqliteReader reader, TimeSpan busyTimeout, string sql, params (string Name, object? Value)[] parameters)
    {
        _connection = reader.Connection;
        _codec = reader.Codec;
        SqliteConnection connection = _connection;

        // Microsoft.Data.Sqlite retries a busy first step itself; on the native handle SQLite waits instead, for as
        // long as the journal's BusyTimeout allows (reset on dispose, so the pooled connection's own commands keep
        // Microsoft.Data.Sqlite's behaviour).
        raw.sqlite3_busy_timeout(connection.Handle, (int)Math.Min(int.MaxValue, busyTimeout.TotalMilliseconds));
        try
        {
            _statement = reader.Statement(sql);
            foreach ((string name, object? value) in parameters)
            {
                int index = raw.sqlite3_bind_parameter_index(_statement, name);
                if (index > 0)
                {
                    Check(value switch
                    {
                        null => raw.sqlite3_bind_null(_statement, index),
                        long number => raw.sqlite3_bind_int64(_statement, index, number),
                        int number => raw.sqlite3_bind_int64(_statement, index, number),
                        string text => raw.sqlite3_bind_text(_statement, index, text),
                        _ => throw new ArgumentException($"Unsupported parameter type {value.GetType()} for {name}.", nameof(parameters)),
                    });
                }
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Steps to the next row and reads it, verified; false at the end.</summary>
    /// <exception cref="JobJournalCorruptionException">The row is damaged.</exception>
    /// <exception cref="SqliteException">SQLite failed to step.</exception>
    public bool TryRead(out JobEventLogEntry? entry)
    {
        int result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_DONE)
        {
            entry = null;
            return false;
        }

        if (result != raw.SQLITE_ROW)
        {
            Check(result);
        }

        sqlite3_stmt s = _statement;
        entry = _codec.Read(
            raw.sqlite3_column_int64(s, 0),
            raw.sqlite3_column_blob(s, 1),
            raw.sqlite3_column_int64(s, 2),
            raw.sqlite3_column_blob(s, 3),
            raw.sqlite3_column_blob(s, 4),
            raw.sqlite3_column_int64(s, 5),
            raw.sqlite3_column_blob(s, 6),
            raw.sqlite3_column_blob(s, 7));
        return true;
    }

    /// <summary>Resets the statement for its reader's next query (it stays prepared) and clears the busy timeout.</summary>
    public void Dispose()
    {
        if (_statement is not null)
        {
            raw.sqlite3_reset(_statement);
            raw.sqlite3_clear_bindings(_statement);
        }

        raw.sqlite3_busy_timeout(_connection.Handle, 0);
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _connection.Handle);
        }
    }
}
