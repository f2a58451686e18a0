using System.Globalization;

namespace JobManagement.Benchmarks.Durable;

/// <summary>
/// The <c>durable</c> mode: appends/s through each durable journal with 1, 8 and 64 producers, next to
/// a raw one-row-per-transaction and a raw 100-row-per-transaction insert of the same rows through the
/// same driver into the same table, all in one run. Every measurement gets a fresh database (SQLite: a
/// new file; PostgreSQL: a new schema) and is repeated <c>--rounds</c> times; medians are reported.
/// A small unreported warm-up pass runs every code path first.
/// </summary>
internal static class DurableHarness
{
    private const int BatchRows = 100;

    public static async Task<int> RunAsync(DurableOptions options)
    {
        if (options.Events % BatchRows != 0)
        {
            throw new ArgumentException($"--events must be a multiple of {BatchRows}.");
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"durable: {options.Events:N0} events per measurement over {options.Streams:N0} streams, producers {string.Join('/', options.Producers)}, {options.Rounds} round(s), medians; {Environment.ProcessorCount} cores"));
        var rows = new DurableRows(options.Events, options.Streams);
        var warmup = new DurableRows(Math.Min(2_000, options.Events), options.Streams, "w");

        if (options.IncludesSqlite)
        {
            Console.WriteLine($"SQLite {await SqliteDurable.DescribeAsync()}");
            await SqliteAsync(warmup, options with { Rounds = 1 }, print: false);
            await SqliteAsync(rows, options, print: true);
        }

        if (options.IncludesPostgres)
        {
            if (string.IsNullOrEmpty(options.PostgresConnection))
            {
                Console.Error.WriteLine("PostgreSQL: no connection string (set JM_POSTGRES_CONNECTION or pass --connection); skipped.");
                return 2;
            }

            await using var postgres = new PostgresDurable(options.PostgresConnection);
            Console.WriteLine($"PostgreSQL {await postgres.DescribeAsync()}");
            await PostgresAsync(postgres, warmup, options with { Rounds = 1 }, print: false);
            await PostgresAsync(postgres, rows, options, print: true);
        }

        return 0;
    }

    private static async Task SqliteAsync(DurableRows rows, DurableOptions options, bool print)
    {
        Measurement single = await MedianAsync(options.Rounds, () => SqliteDurable.RawAsync(rows, 1));
        Measurement batched = await MedianAsync(options.Rounds, () => SqliteDurable.RawAsync(rows, BatchRows));
        var journal = new List<(int Producers, Measurement Rate)>();
        foreach (int producers in options.Producers)
        {
            journal.Add((producers, await MedianAsync(options.Rounds, () => SqliteDurable.JournalAsync(rows, producers))));
        }

        if (print)
        {
            Report("SQLite (WAL, synchronous=FULL)", [("raw insert, 1 row/transaction, 1 connection", single), ("raw insert, 100 rows/transaction, 1 connection", batched)], journal, single, batched);
            double at64 = journal.Find(static j => j.Producers == 64).Rate.Rate;
            if (at64 > 0)
            {
                Target($"SQLite, 64 producers >= 60% of raw batched ({batched.Rate * 0.6:N0}/s)", at64 / batched.Rate, 0.6);
                Target($"SQLite, 64 producers >= 4x raw 1-row/transaction ({single.Rate * 4:N0}/s)", at64 / single.Rate, 4);
            }
        }
    }

    private static async Task PostgresAsync(PostgresDurable postgres, DurableRows rows, DurableOptions options, bool print)
    {
        var raw = new List<(string Name, Measurement Rate)>();
        foreach (int connections in options.Producers)
        {
            raw.Add(($"raw insert, 1 row/transaction, {connections} connection(s)", await MedianAsync(options.Rounds, () => postgres.RawSingleAsync(rows, connections))));
        }

        Measurement batched = await MedianAsync(options.Rounds, () => postgres.RawBatchedAsync(rows, BatchRows));
        raw.Add(("raw 100-row multi-VALUES insert, 1 connection", batched));
        var journal = new List<(int Producers, Measurement Rate)>();
        foreach (int producers in options.Producers)
        {
            journal.Add((producers, await MedianAsync(options.Rounds, () => postgres.JournalAsync(rows, producers))));
        }

        if (print)
        {
            Report("PostgreSQL", raw, journal, raw[0].Rate, batched);
            double at64 = journal.Find(static j => j.Producers == 64).Rate.Rate;
            if (at64 > 0)
            {
                Target($"PostgreSQL, 64 producers >= 50% of raw batched ({batched.Rate * 0.5:N0}/s)", at64 / batched.Rate, 0.5);
            }
        }
    }

    private static void Report(string title, List<(string Name, Measurement Rate)> raw, List<(int Producers, Measurement Rate)> journal, Measurement single, Measurement batched)
    {
        Console.WriteLine();
        Console.WriteLine($"## {title}");
        Console.WriteLine("| measurement | events/s | vs raw 1-row/tx | vs raw 100-row batch | client CPU µs/event | client cores busy |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach ((string name, Measurement rate) in raw)
        {
            Line(name, rate, single, batched);
        }

        foreach ((int producers, Measurement rate) in journal)
        {
            Line(string.Create(CultureInfo.InvariantCulture, $"journal AppendAsync, {producers} producer(s)"), rate, single, batched);
        }
    }

    private static void Line(string name, Measurement m, Measurement single, Measurement batched) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {m.Rate:N0} | {m.Rate / single.Rate:0.00}x | {m.Rate / batched.Rate:P0} | {m.CpuMicrosPerEvent:0.0} | {m.CoresBusy:0.00} |"));

    private static void Target(string name, double ratio, double needed) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"target: {name}: {ratio:0.00} (needs {needed:0.00}) -> {(ratio >= needed ? "MET" : "MISSED")}"));

    private static async Task<Measurement> MedianAsync(int rounds, Func<Task<Measurement>> measure)
    {
        var rates = new Measurement[rounds];
        for (int r = 0; r < rounds; r++)
        {
            rates[r] = await measure();
        }

        Array.Sort(rates, static (a, b) => a.Rate.CompareTo(b.Rate));
        return rates[rounds / 2];
    }
}
