using System.Globalization;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using EventId = JobManagement.EventId;

namespace JobManagement.Sqlite.Tests;

/// <summary>
/// Mutates stored rows at random (seeded) and reads the journal back: every damaged row must raise
/// a typed <see cref="JobJournalCorruptionException"/> — no other exception, no hang, and never a
/// silent skip or a silently different entry.
/// </summary>
public sealed class SqliteCorruptionFuzzTests(ITestOutputHelper output) : IDisposable
{
    // Schema 2: the indexed fields are columns of their own, every other field (task id, times, attributes,
    // payload, observability ids) is in the body BLOB, and the checksum covers the stored bytes of all of them
    // and the position.
    private static readonly string[] TextColumns = ["stream", "event_id", "event_type"];

    private static readonly string[] StoredColumns = ["stream", "event_id", "event_type", "body", "checksum"];

    private readonly TemporaryDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Read_RandomlyDamagedRow_RaisesCorruptionNeverSkips()
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("JM_FUZZ_SEED"), out int s) ? s : Random.Shared.Next();
        output.WriteLine($"fuzz seed {seed} (replay with JM_FUZZ_SEED={seed})");
        var random = new Random(seed);
        string pristine = Path.Combine(_database.Folder, "pristine.db");
        await WriteJournalAsync(pristine);
        List<JobEventLogEntry> original = await ReadEverythingAsync(pristine);

        for (int iteration = 0; iteration < 60; iteration++)
        {
            string copy = Path.Combine(_database.Folder, $"fuzz-{iteration}.db");
            File.Copy(pristine, copy);
            string mutation = await MutateAsync(copy, random, original);
            string context = $"seed {seed}, iteration {iteration}: {mutation}";

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Func<Task> read = async () => await ReadEverythingAsync(copy, timeout.Token);
            if (mutation.StartsWith("none", StringComparison.Ordinal))
            {
                (await ReadEverythingAsync(copy, timeout.Token)).Should().BeEquivalentTo(original, o => o.WithStrictOrdering().Excluding(e => e.Payload), context);
            }
            else
            {
                await read.Should().ThrowAsync<JobJournalCorruptionException>(context);
            }
        }
    }

    private static async Task WriteJournalAsync(string path)
    {
        await using var journal = new SqliteJobEventJournal(new SqliteJournalOptions { ConnectionString = $"Data Source={path}" });
        for (int job = 0; job < 4; job++)
        {
            NewJobEvent[] events = [.. Enumerable.Range(0, 5).Select(i => new NewJobEvent
            {
                EventId = EventId.Parse($"evt-{job}-{i}"),
                EventType = EventTypeId.Parse("payment.captured"),
                Lane = EventLane.Domain,
                TaskId = TaskId.Parse("charge"),
                OccurredAt = DateTimeOffset.UnixEpoch.AddMinutes(i),
                RecordedAt = DateTimeOffset.UnixEpoch.AddMinutes(i),
                Attributes = EventAttributes.Of(("orderId", $"{job}")),
                Payload = System.Text.Json.JsonSerializer.SerializeToElement(new { amount = i }),
                Observability = new EventObservability("exec", "trace", "span"),
            })];
            await journal.AppendAsync(JobId.Parse($"job-{job}"), ExpectedStreamVersion.NoStream, events);
        }
    }

    private static async Task<List<JobEventLogEntry>> ReadEverythingAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var journal = new SqliteJobEventJournal(new SqliteJournalOptions { ConnectionString = $"Data Source={path}" });
        List<JobEventLogEntry> entries = [.. await journal.ReadAllAsync(1, 10_000, cancellationToken)];
        foreach (JobId stream in entries.Select(e => e.JobId).Distinct().ToList())
        {
            await foreach (JobEventLogEntry _ in journal.ReadStreamAsync(stream, 1, cancellationToken))
            {
            }
        }

        return entries;
    }

    private static async Task<string> MutateAsync(string path, Random random, List<JobEventLogEntry> original)
    {
        // A row in the middle of a stream, so that moving or deleting it leaves a visible gap.
        JobEventLogEntry target = original.Where(e => e.Sequence is > 1 and < 5).ElementAt(random.Next(original.Count(e => e.Sequence is > 1 and < 5)));
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
