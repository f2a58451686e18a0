using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace JobManagement.Sqlite;

/// <summary>
/// A write statement prepared once on a connection and run through SQLitePCLRaw directly: bind, step,
/// reset. For the writer's per-event inserts, where Microsoft.Data.Sqlite's per-execution machinery (a
/// binder object per parameter, a data reader behind every non-query, a byte array per string) cost
/// more than SQLite's own work. It runs inside whatever transaction the connection has open.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    private const int StackLimit = 512;
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;

    public SqliteRawStatement(SqliteConnection connection, string sql)
    {
        _connection = connection;
        int result = raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement);
        if (result != raw.SQLITE_OK)
        {
            _statement.Dispose();
            SqliteException.ThrowExceptionForRC(result, connection.Handle);
        }
    }

    /// <summary>Binds an integer to the 1-based parameter <paramref name="index"/>.</summary>
    public SqliteRawStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    /// <summary>Binds text (as UTF-8, copied by SQLite) to the 1-based parameter <paramref name="index"/>.</summary>
    public SqliteRawStatement Bind(int index, string value)
    {
        if (value.Length == 0)
        {
            // Never hand SQLite an empty span: pinned, it may be a null pointer, which binds NULL, not ''.
            Check(raw.sqlite3_bind_text(_statement, index, string.Empty));
            return this;
        }

        int length = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> buffer = rented ?? stackalloc byte[StackLimit];
            int written = Encoding.UTF8.GetBytes(value, buffer);
            Check(raw.sqlite3_bind_text(_statement, index, buffer[..written]));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        return this;
    }

    /// <summary>Binds a blob (copied by SQLite) to the 1-based parameter <paramref name="index"/>.</summary>
    public SqliteRawStatement Bind(int index, ReadOnlySpan<byte> value)
    {
        Check(raw.sqlite3_bind_blob(_statement, index, value));
        return this;
    }

    /// <summary>Runs the statement to its end and resets it; a failure (a constraint, a busy database) is thrown as Microsoft.Data.Sqlite would throw it.</summary>
    /// <exception cref="SqliteException">SQLite refused the statement; <see cref="SqliteException.SqliteErrorCode"/> is the primary result code.</exception>
    public void Execute()
    {
        int result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
        if (result is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            SqliteException.ThrowExceptionForRC(result & 0xFF, _connection.Handle);
        }
    }

    /// <summary>Runs a query for its first row's first two columns, as text (null when there is no row), and resets it.</summary>
    /// <exception cref="SqliteException">SQLite refused the statement.</exception>
    public (string First, string Second)? QueryFirstTextPair() =>
        QueryFirstRow<(string, string)?>(static statement => (ColumnText(statement, 0), ColumnText(statement, 1)));

    public void Dispose() => _statement.Dispose();

    private static string ColumnText(sqlite3_stmt statement, int column) => raw.sqlite3_column_text(statement, column).utf8_to_string();

    private T? QueryFirstRow<T>(Func<sqlite3_stmt, T> read)
    {
        int result = raw.sqlite3_step(_statement);
        T? row = result == raw.SQLITE_ROW ? read(_statement) : default;
        raw.sqlite3_reset(_statement);
        raw.sqlite3_clear_bindings(_statement);
        if (result is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
        {
            SqliteException.ThrowExceptionForRC(result & 0xFF, _connection.Handle);
        }

        return row;
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _connection.Handle);
        }
    }
}
