using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace JobManagement.Benchmarks.Compare;

/// <summary>
/// The <c>ingest-cpu</c> mode: the ingest benchmark's two methods (engine ingest and the
/// dictionary + list baseline, 50,000 events into a fresh engine with 1,000 jobs per round),
/// alternating in one process, timed by the calling thread's CPU time as well as by the wall clock.
/// CPU time is not inflated by waiting for a core, so on a shared machine its ratio is far
/// steadier than the wall-clock one; BenchmarkDotNet's figure remains the reference on a quiet one.
/// Blocking collections run on the ingesting thread and are included; background collections are not.
/// </summary>
internal static partial class IngestCpuProfile
{
    // CLOCK_THREAD_CPUTIME_ID: this thread's CPU time in nanoseconds (Process.TotalProcessorTime ticks in 10 ms).
    // Every ingest here completes synchronously on the calling thread, and a workstation GC's
    // blocking collections run on the allocating thread, so they are counted; background GC is not.
    private const int ClockThreadCpuTime = 3;

    private const int EventsPerRound = IngestBenchmarks.EventsPerInvoke;

    public static async Task<int> RunAsync(CompareOptions options)
    {
        int rounds = Math.Max(3, options.Rounds);
        var engineCpu = new List<double>();
        var engineWall = new List<double>();
        var baselineCpu = new List<double>();
        var baselineWall = new List<double>();
        for (int round = -3; round < rounds; round++) // three warm-up rounds: tiered compilation settles
        {
            (double cpu, double wall) engine = await MeasureEngineAsync(round);
            (double cpu, double wall) baseline = MeasureBaseline(round);
            if (round >= 0)
            {
                engineCpu.Add(engine.cpu);
                engineWall.Add(engine.wall);
                baselineCpu.Add(baseline.cpu);
                baselineWall.Add(baseline.wall);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rounds} rounds of {EventsPerRound:N0} events, 1,000 jobs; medians per event; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  DictionaryDedupeListAppend  CPU {Median(baselineCpu),8:N1} ns   wall {Median(baselineWall),8:N1} ns"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  EngineIngest                CPU {Median(engineCpu),8:N1} ns   wall {Median(engineWall),8:N1} ns"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio                       CPU {Median(engineCpu) / Median(baselineCpu),8:N1} ×    wall {Median(engineWall) / Median(baselineWall),8:N1} ×"));
        return 0;
    }

    private static async Task<(double Cpu, double Wall)> MeasureEngineAsync(int round)
    {
        using JobEngine engine = Workload.CreateEngine(new InMemoryJobEventJournal());
        await Workload.CreateJobsAsync(engine, IngestBenchmarks.Jobs);
        IncomingEvent[] events = Workload.Events(EventsPerRound, IngestBenchmarks.Jobs, $"engine{round}");
        SettleHeap();
        long cpu = ThreadCpuNanoseconds();
        long started = Stopwatch.GetTimestamp();
        int applied = await Workload.IngestAllAsync(engine, events);
        TimeSpan wall = Stopwatch.GetElapsedTime(started);
        cpu = ThreadCpuNanoseconds() - cpu;
        return applied == EventsPerRound ? PerEvent(cpu, wall) : throw new InvalidOperationException($"{applied} of {EventsPerRound} applied.");
    }

    private static (double Cpu, double Wall) MeasureBaseline(int round)
    {
        var gate = new Lock();
        var seen = new Dictionary<string, IncomingEvent>();
        var log = new List<IncomingEvent>();
        IncomingEvent[] events = Workload.Events(EventsPerRound, IngestBenchmarks.Jobs, $"baseline{round}");
        SettleHeap();
        long cpu = ThreadCpuNanoseconds();
        long started = Stopwatch.GetTimestamp();
        foreach (IncomingEvent incoming in events)
        {
            lock (gate)
            {
                if (seen.TryAdd(incoming.EventId.Value, incoming))
                {
                    log.Add(incoming);
                }
            }
        }

        TimeSpan wall = Stopwatch.GetElapsedTime(started);
        cpu = ThreadCpuNanoseconds() - cpu;
        return log.Count == EventsPerRound ? PerEvent(cpu, wall) : throw new InvalidOperationException("baseline lost events");
    }

    /// <summary>
    /// A full collection, and the finalizers it queued run to the end: an earlier round's journal frees its native memory in
    /// finalizers, and freeing while a measurement runs would be counted against whichever side runs then.
    /// </summary>
    private static void SettleHeap()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static (double, double) PerEvent(long cpuNanoseconds, TimeSpan wall) =>
        (cpuNanoseconds / (double)EventsPerRound, wall.TotalNanoseconds / EventsPerRound);

    private static long ThreadCpuNanoseconds()
    {
        if (ClockGetTime(ClockThreadCpuTime, out TimeSpec now) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return (now.Seconds * 1_000_000_000L) + now.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
