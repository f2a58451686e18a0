using System.Globalization;
using Microsoft.Data.Sqlite;

namespace JobManagement.Sqlite;

/// <summary>
/// Creates and checks the journal's schema. The file is marked with SQLite's <c>application_id</c>,
/// and the schema version is kept in <c>jm_schema</c>: a file that is someone else's database,
/// or a schema newer than this code, is refused with a clear message.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>'JMJ1' — marks a file as a JobManagement journal.</summary>
    public const int ApplicationId = 0x4A4D4A31;

    /// <summary>
    /// The schema version this code writes and understands. 1: every field a column of its own (17 columns,
    /// <see cref="JournalRowCodec"/>); 2: the indexed fields as columns, the rest one body, the checksum over
    /// the stored bytes (<see cref="JournalBodyCodec"/>). A version-1 file is migrated in place on open
    /// (<see cref="SqliteSchemaMigration"/>).
    /// </summary>
    public const int Version = 2;

    /// <summary>The entries table of schema 2; its secondary indexes are <see cref="CreateEntryIndexes"/> (a migration builds them after copying the rows).</summary>
    public const string CreateEntries = """
        CREATE TABLE IF NOT EXISTS jm_entries (
            position   INTEGER PRIMARY KEY,
            stream     TEXT    NOT NULL,
            sequence   INTEGER NOT NULL,
            event_id   TEXT    NOT NULL,
            event_type TEXT    NOT NULL,
            lane       INTEGER NOT NULL,
            body       BLOB    NOT NULL,
            checksum   BLOB    NOT NULL,
            UNIQUE (stream, sequence),
            UNIQUE (stream, event_id)
        );
        """;

    /// <summary>The entries table's secondary indexes (the same in schemas 1 and 2).</summary>
    public const string CreateEntryIndexes = """
        CREATE INDEX IF NOT EXISTS jm_entries_event_id ON jm_entries (event_id);
        CREATE INDEX IF NOT EXISTS jm_entries_domain_type ON jm_entries (event_type, position) WHERE lane = 0;
        """;

    private const string CreateOthers = """
        CREATE TABLE IF NOT EXISTS jm_schema (version INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS jm_jobs (
            job_id   TEXT    NOT NULL PRIMARY KEY,
            job_type TEXT    NOT NULL,
            position INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS jm_jobs_type ON jm_jobs (job_type, position);
        CREATE TABLE IF NOT EXISTS jm_job_correlation (
            job_type TEXT    NOT NULL,
            key      TEXT    NOT NULL,
            value    TEXT    NOT NULL,
            position INTEGER NOT NULL,
            job_id   TEXT    NOT NULL,
            PRIMARY KEY (job_type, key, value, position)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS jm_event_attributes (
            key      TEXT    NOT NULL,
            value    TEXT    NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (key, value, position)
        ) WITHOUT ROWID;
        """;

    /// <summary>Checks the file is ours (or empty), creates the schema if needed, and sets the durability pragmas.</summary>
    public static void Initialize(SqliteConnection connection, SqliteDurability durability)
    {
        Execute(connection, "PRAGMA journal_mode = WAL;");
        ApplyPragmas(connection, durability);

        long applicationId = Scalar(connection, "PRAGMA application_id;");
        long tables = Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table';");
        if (applicationId != ApplicationId && (applicationId != 0 || tables > 0))
        {
            throw new JobJournalSchemaException(string.Create(CultureInfo.InvariantCulture, $"'{connection.DataSource}' is not a JobManagement journal (application_id {applicationId:X8}, {tables} table(s)). Point the SQLite journal at a new file or at an existing journal."));
        }

        // Entries are verified over the stored bytes of their text columns (SqliteEntryStatement), which the
        // checksum defines as UTF-8: only a UTF-8 database stores them so. The journal creates its files in
        // UTF-8 (SQLite's default); another encoding means a file made by other hands.
        using (SqliteCommand encoding = connection.CreateCommand())
        {
            encoding.CommandText = "PRAGMA encoding;";
            if (encoding.ExecuteScalar() is string text && !string.Equals(text, "UTF-8", StringComparison.OrdinalIgnoreCase))
            {
                throw new JobJournalSchemaException($"The journal '{connection.DataSource}' uses the text encoding {text}; a JobManagement journal is always UTF-8. Point the SQLite journal at a new file or at an existing journal.");
            }
        }

        using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        if (applicationId == 0)
        {
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA application_id = {ApplicationId};"), transaction);
            Execute(connection, CreateOthers + CreateEntries + CreateEntryIndexes, transaction);
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"INSERT INTO jm_schema (version) VALUES ({Version});"), transaction);
        }

        long version = Scalar(connection, "SELECT COALESCE(MAX(version), 0) FROM jm_schema;", transaction);
        if (version > Version)
        {
            throw new JobJournalSchemaException(string.Create(CultureInfo.InvariantCulture, $"The journal '{connection.DataSource}' has schema version {version}, newer than the {Version} this version of JobManagement.Sqlite understands. Upgrade the package; the schema is never downgraded."));
        }

        if (version < 1)
        {
            throw new JobJournalSchemaException($"The journal '{connection.DataSource}' is marked as a JobManagement journal but has no schema version.");
        }

        if (version == 1)
        {
            // In this same write transaction: a failure (a damaged row, a full disk) leaves the file as it was.
            SqliteSchemaMigration.MigrateFrom1(connection, transaction);
        }

        transaction.Commit();
    }

    /// <summary>Sets only the durability pragma: for a unit of work's connection, whose other settings (such as foreign keys) follow its connection string.</summary>
    public static void ApplyDurability(SqliteConnection connection, SqliteDurability durability) =>
        Execute(connection, durability == SqliteDurability.Full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");

    public static void ApplyPragmas(SqliteConnection connection, SqliteDurability durability) =>
        Execute(connection, durability == SqliteDurability.Full
            ? "PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;"
            : "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;");

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
