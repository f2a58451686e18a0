using System.Diagnostics;
using System.Globalization;
using JobManagement.Sqlite;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using EventId = JobManagement.EventId; // Microsoft.Extensions.Logging has an EventId too

namespace JobManagement.Benchmarks.Durable;

/// <summary>
/// The <c>replay</c> mode: builds a SQLite journal of <c>--entries</c> entries through the journal's own
/// AppendAsync (multi-event appends, so every row has a valid checksum), then times reading it all
/// back with ReadAllAsync pages of <c>--page</c> entries on a newly opened journal, <c>--rounds</c> times.
/// Each entry is an <c>item.scanned</c> domain event with one attribute (<c>orderId</c>).
/// </summary>
internal static class ReplayHarness
{
    private const int EventsPerAppend = 1_000;
    private const int Streams = 1_000;

    public static async Task<int> RunAsync(DurableOptions options)
    {
        string file = SqliteDurable.NewFile();
        try
        {
            var build = Stopwatch.StartNew();
            await BuildAsync(file, options.Entries);
            build.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"replay: built {options.Entries:N0} entries in {build.Elapsed.TotalSeconds:0.0} s ({options.Entries / build.Elapsed.TotalSeconds:N0}/s through AppendAsync, {EventsPerAppend} events per call); file {new FileInfo(file).Length / 1048576.0:0} MiB"));

            var rates = new List<double>();
            for (int round = 0; round < options.Rounds; round++)
            {
                await using var journal = new SqliteJobEventJournal(new SqliteJournalOptions { ConnectionString = $"Data Source={file}" });
                await journal.InitializeAsync();
                long read = 0;
                long from = 1;
                int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
                long allocated = GC.GetTotalAllocatedBytes(precise: false);
                var stopwatch = Stopwatch.StartNew();
                while (true)
                {
                    IReadOnlyList<JobEventLogEntry> page = await journal.ReadAllAsync(from, options.PageSize);
                    read += page.Count;
                    if (page.Count < options.PageSize)
                    {
                        break;
                    }

                    from = page[^1].Position + 1;
                }

                stopwatch.Stop();
                if (read != options.Entries)
                {
                    throw new InvalidOperationException($"read {read} entries, expected {options.Entries}.");
                }

                rates.Add(read / stopwatch.Elapsed.TotalSeconds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round + 1}: {read:N0} entries in {stopwatch.Elapsed.TotalMilliseconds:N0} ms = {rates[^1]:N0} entries/s (pages of {options.PageSize:N0}); {(GC.GetTotalAllocatedBytes(precise: false) - allocated) / (double)read:N0} B allocated/entry, GCs gen0/1/2 {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}"));
            }

            rates.Sort();
            double median = rates[rates.Count / 2];
            double scan = Scan(file, options.Entries, options.Rounds);
            double native = NativeScan(file, options.Entries, options.Rounds, decode: false);
            double decode = NativeScan(file, options.Entries, options.Rounds, decode: true);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"for comparison, one query over the same file, median of {options.Rounds}: raw scan reading every column ({JournalBodyCodec.Columns}) through SqliteDataReader {scan:N0} rows/s ({1e6 / scan:0.00} µs/row); the same raw scan through SQLitePCLRaw spans, as the journal reads {native:N0} rows/s ({1e6 / native:0.00} µs/row); that scan decoding each row with JournalBodyCodec.Read (checksum over the stored bytes, ids, body) {decode:N0} rows/s ({1e6 / decode:0.00} µs/row)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ReadAllAsync median / raw SqliteDataReader scan = {median / scan:P0}; / raw SQLitePCLRaw scan = {median / native:P0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: {median:N0} entries/s; target >= 500,000/s -> {(median >= 500_000 ? "MET" : "MISSED")}"));
            return 0;
        }
        finally
        {
            SqliteDurable.Delete(file);
        }
    }

    /// <summary>One SELECT of every row on one connection, on the native handle as the journal reads: column spans only, or decoded; the median rows/s.</summary>
    private static double NativeScan(string file, int entries, int rounds, bool decode)
    {
        var rates = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Mode=ReadOnly");
            connection.Open();
            if (raw.sqlite3_prepare_v2(connection.Handle, $"SELECT {JournalBodyCodec.Columns} FROM jm_entries ORDER BY position;", out sqlite3_stmt s) != raw.SQLITE_OK)
            {
                throw new InvalidOperationException(raw.sqlite3_errmsg(connection.Handle).utf8_to_string());
            }

            var codec = new JournalBodyCodec();
            var stopwatch = Stopwatch.StartNew();
            long rows = 0;
            long sink = 0;
            using (s)
            {
                while (raw.sqlite3_step(s) == raw.SQLITE_ROW)
                {
                    sink += decode
                        ? codec.Read(raw.sqlite3_column_int64(s, 0), raw.sqlite3_column_blob(s, 1), raw.sqlite3_column_int64(s, 2), raw.sqlite3_column_blob(s, 3), raw.sqlite3_column_blob(s, 4), raw.sqlite3_column_int64(s, 5), raw.sqlite3_column_blob(s, 6), raw.sqlite3_column_blob(s, 7)).Sequence
                        : raw.sqlite3_column_int64(s, 0) + raw.sqlite3_column_blob(s, 1).Length + raw.sqlite3_column_int64(s, 2) + raw.sqlite3_column_blob(s, 3).Length + raw.sqlite3_column_blob(s, 4).Length
                            + raw.sqlite3_column_int64(s, 5) + raw.sqlite3_column_blob(s, 6).Length + raw.sqlite3_column_blob(s, 7).Length;
                    rows++;
                }
            }

            stopwatch.Stop();
            if (rows != entries || sink == 0)
            {
                throw new InvalidOperationException($"scanned {rows} rows, expected {entries}.");
            }

            rates.Add(rows / stopwatch.Elapsed.TotalSeconds);
        }

        rates.Sort();
        return rates[rates.Count / 2];
    }

    /// <summary>One SELECT of every row on one connection through <see cref="SqliteDataReader"/>, the columns only; the median rows/s.</summary>
    private static double Scan(string file, int entries, int rounds)
    {
        var rates = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Mode=ReadOnly");
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = $"SELECT {JournalBodyCodec.Columns} FROM jm_entries ORDER BY position;";
            var stopwatch = Stopwatch.StartNew();
            long rows = 0;
            long sink = 0;
            using (SqliteDataReader reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    sink += reader.GetInt64(0) + reader.GetString(1).Length + reader.GetInt64(2) + reader.GetString(3).Length + reader.GetString(4).Length + reader.GetInt64(5)
                        + reader.GetFieldValue<byte[]>(6).Length + reader.GetFieldValue<byte[]>(7).Length;
                    rows++;
                }
            }

            stopwatch.Stop();
            if (rows != entries || sink == 0)
            {
                throw new InvalidOperationException($"scanned {rows} rows, expected {entries}.");
            }

            rates.Add(rows / stopwatch.Elapsed.TotalSeconds);
        }

        rates.Sort();
        return rates[rates.Count / 2];
    }

    private static async Task BuildAsync(string file, int entries)
    {
        // Durability does not matter for building the file; NORMAL saves an fsync per batch.
        await using var journal = new SqliteJobEventJournal(new SqliteJournalOptions { ConnectionString = $"Data Source={file}", Durability = SqliteDurability.NormalMayLoseLastCommitsOnPowerLoss });
        await journal.InitializeAsync();
        EventTypeId type = EventTypeId.Parse("item.scanned");
        EventAttributes[] orders = [.. Enumerable.Range(0, Streams).Select(static s => EventAttributes.Of(("orderId", s.ToString(CultureInfo.InvariantCulture))))];
        int calls = (entries + EventsPerAppend - 1) / EventsPerAppend;
        int next = -1;
        Task[] producers = new Task[2];
        for (int p = 0; p < producers.Length; p++)
        {
            producers[p] = Task.Run(async () =>
            {
                int call;
                while ((call = Interlocked.Increment(ref next)) < calls)
                {
                    int first = call * EventsPerAppend;
                    int count = Math.Min(EventsPerAppend, entries - first);
                    int stream = call % Streams;
                    var events = new NewJobEvent[count];
                    for (int i = 0; i < count; i++)
                    {
                        events[i] = new NewJobEvent
                        {
                            EventId = EventId.Parse(string.Create(CultureInfo.InvariantCulture, $"r-{first + i}")),
                            EventType = type,
                            Lane = EventLane.Domain,
                            OccurredAt = Workload.OccurredAt,
                            RecordedAt = Workload.OccurredAt,
                            Attributes = orders[stream],
                        };
                    }

                    await journal.AppendAsync(JobId.Parse(string.Create(CultureInfo.InvariantCulture, $"job-{stream}")), ExpectedStreamVersion.Any, events);
                }
            });
        }

        await Task.WhenAll(producers);
    }
}
