using System.Globalization;

namespace JobManagement.Benchmarks.Execution;

/// <summary>
/// The <c>jobs</c> mode: jobs completed per second, submit → claim → trivial handler → Succeeded, with the
/// in-memory journal and the SQLite journal (synchronous=FULL, and NORMAL), next to Quartz.NET on its
/// RAMJobStore running as many trivial jobs, in one process. Each round runs every configuration once,
/// in turn, each on a fresh engine / scheduler / database file; medians over the rounds are reported. An
/// unreported warm-up round with a tenth of the jobs runs every path first (or, with <c>--warmup N</c>, N
/// full-size rounds: the steady state, once the runtime's tiered JIT has settled).
/// </summary>
internal static class JobsHarness
{
    private static readonly string[] Order = ["quartz", "memory", "sqlite-full", "sqlite-normal"];

    public static async Task<int> RunAsync(JobsOptions options)
    {
        Console.WriteLine(Invariant($"jobs: {options.Jobs:N0} jobs (Quartz, in-memory), {options.SqliteJobs:N0} (SQLite); worker MaxConcurrency = Quartz maxConcurrency = {options.Concurrency}; {options.Submitters} submitters; PollInterval {options.PollInterval.TotalMilliseconds:N0} ms;{(options.SubmitFirst ? " SUBMIT FIRST (rate = the worker's drain of a full backlog; Quartz: scheduling is not timed either)," : "")} {options.Rounds} round(s), medians, after {(options.WarmupRounds == 0 ? "one tenth-size warm-up round" : $"{options.WarmupRounds} full-size warm-up round(s)")}; {Environment.ProcessorCount} cores; GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}"));
        if (Environment.GetEnvironmentVariable("DOTNET_TC_CallCountingDelayMs") != "0")
        {
            // Each round's fresh engine and scheduler bring new code, which restarts the runtime's 100 ms wait before it
            // optimises hot methods: rounds then run either side partly unoptimised, and the ratios swing both ways.
            Console.WriteLine("note: tiering not settled (DOTNET_TC_CallCountingDelayMs=0 unset): rounds may be bimodal on both sides; see docs/benchmarks.md, \"Settled tiering\"");
        }

        string[] configurations = [.. Order.Where(options.Includes)];
        var results = configurations.ToDictionary(static c => c, static _ => new List<JobsMeasurement>());
        var entriesByType = new Dictionary<string, long>();

        // JM_GC_REASONS=1: which collections each measurement set off, and why (the meter's own induced ones included).
        using Compare.GcReasonListener? reasons = Environment.GetEnvironmentVariable("JM_GC_REASONS") == "1" ? new Compare.GcReasonListener() : null;
        using Compare.JitListener? jit = Environment.GetEnvironmentVariable("JM_JIT") == "1" ? new Compare.JitListener() : null;
        int warmups = Math.Max(1, options.WarmupRounds);
        for (int round = 1 - warmups; round <= options.Rounds; round++)
        {
            bool warmup = round <= 0;
            foreach (string configuration in configurations)
            {
                int count = Count(configuration, options);
                if (warmup && options.WarmupRounds == 0)
                {
                    count = Math.Max(500, count / 10);
                }

                JobsMeasurement measured = await MeasureAsync(configuration, options, count, round == 1 && configuration == "sqlite-full" ? entriesByType : null);
                Console.WriteLine(Invariant($"  {(warmup ? "warm-up" : $"round {round}"),-8} {configuration,-14} {measured.Rate,10:N0} jobs/s   submit {measured.SubmitRate,9:N0}/s   {measured.CpuMicrosPerJob,6:N1} CPU µs/job   {measured.BytesPerJob,7:N0} B/job   gen0 {measured.Gen0,4} gen2 {measured.Gen2,3} GC pauses {measured.GcPauseShare,4:P0}   {measured.EntriesPerJob:N2} entries/job   {(double)measured.SucceededPublished / measured.Jobs:N2} Succeeded published/job   {measured.WorkItemsPerJob:N2} work items/job   {measured.LockContentionsPerJob:N3} lock waits/job  {ThreadPool.ThreadCount} pool threads   JIT {measured.JitSeconds * 1e3,5:N1} ms ({measured.JitCpuShare,4:P0} of CPU, {measured.JitMethods:N0} methods)"));
                reasons?.Print(measured.Jobs);
                jit?.Print();
                if (!warmup)
                {
                    results[configuration].Add(measured);
                }
            }
        }

        Console.WriteLine();
        double quartz = results.TryGetValue("quartz", out List<JobsMeasurement>? q) ? Median(q, static m => m.Rate) : double.NaN;
        Console.WriteLine("| configuration | jobs | jobs/s (median) | vs Quartz | vs Quartz, same round (median) | submissions/s | CPU µs/job | cores busy | allocated B/job | GC pauses | entries/job |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (string configuration in configurations)
        {
            List<JobsMeasurement> runs = results[configuration];
            double rate = Median(runs, static m => m.Rate);
            Console.WriteLine(Invariant($"| {Describe(configuration)} | {runs[0].Jobs:N0} | {rate:N0} | {rate / quartz:N2}× | {SameRoundRatio(runs, q):N2}× | {Median(runs, static m => m.SubmitRate):N0} | {Median(runs, static m => m.CpuMicrosPerJob):N1} | {Median(runs, static m => m.CpuSeconds / m.Seconds):N2} | {Median(runs, static m => m.BytesPerJob):N0} | {Median(runs, static m => m.GcPauseShare):P0} | {(configuration == "quartz" ? "—" : Median(runs, static m => m.EntriesPerJob).ToString("N2", CultureInfo.InvariantCulture))} |"));
        }

        if (entriesByType.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("journal entries by type (SQLite FULL, round 1): " + string.Join(", ", entriesByType.OrderByDescending(static p => p.Value).Select(static p => Invariant($"{p.Key} {p.Value:N0}"))));
        }

        Console.WriteLine();
        if (options.SubmitFirst)
        {
            Console.WriteLine("(submit-first: the rates are the drain's alone; the targets are end to end, so they are not judged here)");
            return 0;
        }

        if (results.TryGetValue("memory", out List<JobsMeasurement>? memory) && !double.IsNaN(quartz))
        {
            // Judged on the median of the rounds' own ratios: each round runs Quartz and then the engine back to back, so the
            // pair shares the state of the moment (tiering that has not settled, and this machine's load, move both sides' speed).
            double ratio = SameRoundRatio(memory, q);
            Console.WriteLine(Invariant($"target: in-memory >= 1.5x Quartz (median of the rounds' ratios; ratio of the medians {Median(memory, static m => m.Rate) / quartz:N2}x): {ratio:N2}x -> {(ratio >= 1.5 ? "met" : "MISSED")}"));
        }

        if (results.TryGetValue("sqlite-full", out List<JobsMeasurement>? full))
        {
            double rate = Median(full, static m => m.Rate);
            Console.WriteLine(Invariant($"target: SQLite (synchronous=FULL) >= 10,000 jobs/s: {rate:N0}/s -> {(rate >= 10_000 ? "met" : "MISSED")}"));
        }

        return 0;
    }

    private static int Count(string configuration, JobsOptions options) =>
        configuration.StartsWith("sqlite", StringComparison.Ordinal) ? options.SqliteJobs : options.Jobs;

    private static Task<JobsMeasurement> MeasureAsync(string configuration, JobsOptions options, int count, Dictionary<string, long>? entriesByType) => configuration switch
    {
        "quartz" => QuartzJobs.MeasureAsync(options, count),
        "memory" => EngineJobs.MeasureAsync(JournalKind.InMemory, options, count),
        "sqlite-full" => EngineJobs.MeasureAsync(JournalKind.SqliteFull, options, count, entriesByType),
        "sqlite-normal" => EngineJobs.MeasureAsync(JournalKind.SqliteNormal, options, count),
        _ => throw new ArgumentException($"Unknown configuration '{configuration}'."),
    };

    private static string Describe(string configuration) => configuration switch
    {
        "quartz" => "Quartz.NET 4.7.3, RAMJobStore",
        "memory" => "JobEngine, in-memory journal",
        "sqlite-full" => "JobEngine, SQLite synchronous=FULL (default)",
        "sqlite-normal" => "JobEngine, SQLite synchronous=NORMAL (NormalMayLoseLastCommitsOnPowerLoss)",
        _ => configuration,
    };

    /// <summary>The median over the rounds of each round's rate divided by Quartz's rate in the same round (NaN without Quartz).</summary>
    private static double SameRoundRatio(List<JobsMeasurement> runs, List<JobsMeasurement>? quartz)
    {
        if (quartz is null || quartz.Count != runs.Count)
        {
            return double.NaN;
        }

        return MedianOf(runs.Select((m, i) => m.Rate / quartz[i].Rate));
    }

    private static double Median(List<JobsMeasurement> runs, Func<JobsMeasurement, double> value) => MedianOf(runs.Select(value));

    private static double MedianOf(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
