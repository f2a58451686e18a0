using Microsoft.Data.Sqlite;

namespace JobManagement.Sqlite;

/// <summary>
/// Migrates a journal file from an older schema version, in place, inside the caller's write transaction:
/// either the whole file is migrated or (a damaged row, a full disk, a crash) nothing is.
/// </summary>
internal static class SqliteSchemaMigration
{
    /// <summary>
    /// Schema 1 → 2: every entry is read and verified with schema 1's rule (<see cref="JournalRowCodec.Read"/>,
    /// its 17-column checksum), then written again as a schema-2 row (<see cref="JournalBodyCodec"/>) with the
    /// same position. A row that fails verification stops the migration with the
    /// <see cref="JobJournalCorruptionException"/> naming it, and the file stays at version 1. The index tables
    /// (jobs, correlation, attributes) are derived from the entries and do not change.
    /// </summary>
    public static void MigrateFrom1(SqliteConnection connection, SqliteTransaction transaction)
    {
        SqliteSchema.Execute(
            connection,
            """
            DROP INDEX IF EXISTS jm_entries_event_id;
            DROP INDEX IF EXISTS jm_entries_domain_type;
            ALTER TABLE jm_entries RENAME TO jm_entries_v1;
            """ + SqliteSchema.CreateEntries,
            transaction);

        using (SqliteCommand select = connection.CreateCommand())
        using (SqliteCommand insert = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = $"SELECT {JournalRowCodec.Columns} FROM jm_entries_v1 ORDER BY position;";
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO jm_entries ({JournalBodyCodec.Columns}) VALUES ($position, $stream, $sequence, $event_id, $event_type, $lane, $body, $checksum);";
            SqliteParameter[] p = [.. JournalBodyCodec.Columns.Split(", ").Select(column => insert.Parameters.Add(new SqliteParameter { ParameterName = "$" + column }))];
            var codec = new JournalBodyCodec();
            using SqliteDataReader reader = select.ExecuteReader();
            while (reader.Read())
            {
                JobEventLogEntry entry = JournalRowCodec.Read(reader);
                JournalBody row = codec.Encode(entry);
                p[0].Value = entry.Position;
                p[1].Value = entry.JobId.Value;
                p[2].Value = entry.Sequence;
                p[3].Value = entry.EventId.Value;
                p[4].Value = entry.EventType.Value;
                p[5].Value = (int)entry.Lane;
                p[6].Value = row.Body;
                p[7].Value = row.Checksum;
                insert.ExecuteNonQuery();
            }
        }

        SqliteSchema.Execute(connection, "DROP TABLE jm_entries_v1;" + SqliteSchema.CreateEntryIndexes + "UPDATE jm_schema SET version = 2;", transaction);
    }
}
