using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace JobManagement.Sqlite;

/// <summary>
/// One open read connection of <see cref="SqliteReaderPool"/> with the statements prepared on it,
/// by SQL text. Used by one query at a time; disposing it gives it back to the pool.
/// </summary>
internal sealed class SqliteReader : IAsyncDisposable
{
    private readonly SqliteReaderPool _pool;
    private readonly Dictionary<string, sqlite3_stmt> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteReader(SqliteReaderPool pool, SqliteConnection connection)
    {
        _pool = pool;
        Connection = connection;
    }

    public SqliteConnection Connection { get; }

    /// <summary>
    /// Gets the codec the reader's queries decode rows with: kept with the reader, which runs one query at a time, so its
    /// buffers and its caches of decoded ids, types and attribute sets serve every query rather than being made for each
    /// (a job's catch-up reads a few rows, and a new codec's caches cost about 9 KB).
    /// </summary>
    public JournalBodyCodec Codec { get; } = new();

    /// <summary>The native statement for <paramref name="sql"/>, prepared on first use; the caller resets it when done.</summary>
    public sqlite3_stmt Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out sqlite3_stmt? statement))
        {
            int result = raw.sqlite3_prepare_v2(Connection.Handle, sql, out statement);
            if (result != raw.SQLITE_OK)
            {
                statement.Dispose();
                SqliteException.ThrowExceptionForRC(result, Connection.Handle);
            }

            _statements.Add(sql, statement);
        }

        return statement;
    }

    /// <summary>A command for <paramref name="sql"/> with these parameters; it stays the reader's (Microsoft.Data.Sqlite keeps it prepared), so do not dispose it.</summary>
    public SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        if (!_commands.TryGetValue(sql, out SqliteCommand? command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            _commands.Add(sql, command);
        }

        command.Parameters.Clear();
        foreach ((string name, object? value) in parameters)
        {
            if (sql.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }
        }

        return command;
    }

    /// <summary>Gives the reader back to its pool.</summary>
    public ValueTask DisposeAsync()
    {
        _pool.Return(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>Finalizes the statements and closes the connection (back into Microsoft.Data.Sqlite's pool).</summary>
    internal void Close()
    {
        foreach (sqlite3_stmt statement in _statements.Values)
        {
            statement.Dispose();
        }

        foreach (SqliteCommand command in _commands.Values)
        {
            command.Dispose();
        }

        _statements.Clear();
        _commands.Clear();
        Connection.Dispose();
    }
}
