using JobManagement.Sqlite;
using Microsoft.Data.Sqlite;

namespace JobManagement.Benchmarks.Durable;

/// <summary>
/// SQLite measurements, each on a new file in a temp folder, WAL with <c>synchronous=FULL</c> for the
/// journal (its default durability) and for the raw baselines alike.
/// </summary>
internal static class SqliteDurable
{
    private const string Insert = """
        INSERT INTO jm_entries (stream, sequence, event_id, event_type, lane, body, checksum)
        VALUES ($stream, $sequence, $event_id, $event_type, $lane, $body, $checksum);
        """;

    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "jm-durable-bench");

    /// <summary>Appends through <see cref="SqliteJobEventJournal"/> (default options) from <paramref name="producers"/> producers; events/s.</summary>
    public static async Task<Measurement> JournalAsync(DurableRows rows, int producers)
    {
        string file = NewFile();
        try
        {
            await using var journal = new SqliteJobEventJournal(new SqliteJournalOptions { ConnectionString = $"Data Source={file}", Durability = SqliteDurability.Full });
            await journal.InitializeAsync();
            Measurement rate = await rows.AppendAllAsync(journal, producers);
            await Check(file, rows.Count);
            return rate;
        }
        finally
        {
            Delete(file);
        }
    }

    /// <summary>Raw inserts of the same rows on one connection (SQLite has one writer), <paramref name="rowsPerTransaction"/> per transaction; rows/s.</summary>
    public static async Task<Measurement> RawAsync(DurableRows rows, int rowsPerTransaction)
    {
        string file = NewFile();
        try
        {
            await CreateSchemaAsync(file);
            Measurement rate;
            using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                connection.Open();
                Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
                using SqliteCommand insert = connection.CreateCommand();
                insert.CommandText = Insert;
                foreach (string name in (string[])["$stream", "$sequence", "$event_id", "$event_type", "$lane", "$body", "$checksum"])
                {
                    insert.Parameters.Add(new SqliteParameter { ParameterName = name });
                }

                insert.Prepare();
                var meter = new Meter();
                for (int start = 0; start < rows.Count; start += rowsPerTransaction)
                {
                    using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
                    insert.Transaction = transaction;
                    int end = Math.Min(start + rowsPerTransaction, rows.Count);
                    for (int i = start; i < end; i++)
                    {
                        RawRow row = rows.Raw[i];
                        SqliteParameterCollection p = insert.Parameters;
                        p[0].Value = row.Stream;
                        p[1].Value = row.Sequence;
                        p[2].Value = row.EventId;
                        p[3].Value = row.EventType;
                        p[4].Value = row.Lane;
                        p[5].Value = row.Body;
                        p[6].Value = row.BodyChecksum;
                        insert.ExecuteNonQuery();
                    }

                    transaction.Commit();
                }

                rate = meter.Stop(rows.Count);
            }

            await Check(file, rows.Count);
            return rate;
        }
        finally
        {
            Delete(file);
        }
    }

    /// <summary>The pragmas a raw connection ends up with, to show the baseline runs with the journal's durability.</summary>
    public static async Task<string> DescribeAsync()
    {
        string file = NewFile();
        try
        {
            await CreateSchemaAsync(file);
            using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version() || ', journal_mode=' || (SELECT journal_mode FROM pragma_journal_mode) || ', synchronous=' || (SELECT synchronous FROM pragma_synchronous);";
            return (string)command.ExecuteScalar()!;
        }
        finally
        {
            Delete(file);
        }
    }

    public static string NewFile()
    {
        Directory.CreateDirectory(Folder);
        return Path.Combine(Folder, $"{Guid.NewGuid():N}.db");
    }

    public static void Delete(string file)
    {
        SqliteConnection.ClearAllPools();
        foreach (string path in (string[])[file, file + "-wal", file + "-shm"])
        {
            File.Delete(path);
        }
    }

    /// <summary>Creates the journal's schema in a new file, through the journal itself, so the raw baselines insert into the very same table.</summary>
    private static async Task CreateSchemaAsync(string file)
    {
        await using var journal = new SqliteJobEventJournal(new SqliteJournalOptions { ConnectionString = $"Data Source={file}" });
        await journal.InitializeAsync();
    }

    private static async Task Check(string file, int expected)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM jm_entries;";
        long count = (long)command.ExecuteScalar()!;
        if (count != expected)
        {
            throw new InvalidOperationException($"{file} holds {count} entries, expected {expected}.");
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
