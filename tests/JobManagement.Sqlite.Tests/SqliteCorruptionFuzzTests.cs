using System.Globalization;
using JobManagement.Journal.Conformance;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace JobManagement.Sqlite.Tests;

/// <summary>Runs the corruption fuzz conformance test on SQLite files: each mutation on a fresh copy of the undamaged file.</summary>
public sealed class SqliteCorruptionFuzzTests : CorruptionFuzzConformanceTests, IDisposable
{
    // Schema 2: the indexed fields are columns of their own, every other field (task id, times, attributes,
    // payload, observability ids) is in the body BLOB, and the checksum covers the stored bytes of all of them
    // and the position.
    private static readonly string[] TextColumns = ["stream", "event_id", "event_type"];

    private static readonly string[] StoredColumns = ["stream", "event_id", "event_type", "body", "checksum"];

    private readonly TemporaryDatabase _database = new();
    private readonly string _pristine;
    private string _current;

    public SqliteCorruptionFuzzTests(ITestOutputHelper output)
        : base(output)
    {
        _pristine = Path.Combine(_database.Folder, "pristine.db");
        _current = _pristine;
    }

    public void Dispose() => _database.Dispose();

    protected override IJobEventJournal OpenJournal() => new SqliteJobEventJournal(new SqliteJournalOptions { ConnectionString = $"Data Source={_current}" });

    protected override Task KeepPristineAsync() => Task.CompletedTask; // the written file is the pristine copy

    protected override Task RestorePristineAsync(int iteration)
    {
        _current = Path.Combine(_database.Folder, $"fuzz-{iteration}.db");
        File.Copy(_pristine, _current);
        return Task.CompletedTask;
    }

    protected override async Task<string> MutateAsync(Random random, JobEventLogEntry target)
    {
        string path = _current;
        string where = string.Create(CultureInfo.InvariantCulture, $"WHERE position = {target.Position}");
        string sql;
        string description;
        byte[]? blob = null;
        switch (random.Next(9))
        {
            case 0:
                string column = TextColumns[random.Next(TextColumns.Length)];
                string last = $"unicode(substr({column}, -1))";
                sql = $"UPDATE jm_entries SET {column} = substr({column}, 1, length({column}) - 1) || char(({last} | 1) - ({last} & 1)) {where};"; // XOR 1
                description = $"flipped a bit of {column} at position {target.Position}";
                break;
            case 1:
                string nullable = StoredColumns[random.Next(StoredColumns.Length)];
                sql = $"UPDATE jm_entries SET {nullable} = NULL {where};";
                description = $"set {nullable} to NULL at position {target.Position}";
                break;
            case 2:
                sql = $"UPDATE jm_entries SET lane = {random.Next(2, 10)} {where};";
                description = $"set an unknown lane at position {target.Position}";
                break;
            case 3:
            case 4:
                // Any field of the body: task id, times, attributes, payload, observability ids.
                string damaged = random.Next(2) == 0 ? "body" : "checksum";
                blob = await ReadBlobAsync(path, damaged, target.Position);
                int index = random.Next(blob.Length);
                int bit = random.Next(8);
                blob[index] ^= (byte)(1 << bit);
                sql = $"UPDATE jm_entries SET {damaged} = $blob {where};";
                description = $"flipped bit {bit} of byte {index} of the {damaged} at position {target.Position}";
                break;
            case 5:
                blob = await ReadBlobAsync(path, "body", target.Position);
                blob = blob[..^1];
                sql = $"UPDATE jm_entries SET body = $blob {where};";
                description = $"truncated the body by one byte at position {target.Position}";
                break;
            case 6:
                // Schema 2's checksum covers the position too: a row moved elsewhere in the global order is detected.
                sql = $"UPDATE jm_entries SET position = position + 1000 {where};";
                description = $"moved the row from position {target.Position} to {target.Position + 1000}";
                break;
            case 7:
                sql = $"DELETE FROM jm_entries {where};";
                description = $"deleted the row at position {target.Position}";
                break;
            default:
                sql = $"UPDATE jm_entries SET sequence = sequence + 100 {where};";
                description = $"moved the sequence at position {target.Position}";
                break;
        }

        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        if (blob is not null)
        {
            command.Parameters.AddWithValue("$blob", blob);
        }

        try
        {
            int changed = await command.ExecuteNonQueryAsync();
            return changed == 0 ? "none: " + description : description;
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 19)
        {
            return "none (constraint refused the damage): " + description;
        }
    }

    private static async Task<byte[]> ReadBlobAsync(string path, string column, long position)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = $"SELECT {column} FROM jm_entries WHERE position = $position;";
        command.Parameters.AddWithValue("$position", position);
        return (byte[])(await command.ExecuteScalarAsync())!;
    }
}
