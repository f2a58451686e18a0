using System.Diagnostics;

namespace JobManagement.Benchmarks.Execution;

/// <summary>One run of N jobs: wall time from the first submission to the last job terminal, and what it cost.</summary>
/// <param name="Jobs">How many jobs ran.</param>
/// <param name="Seconds">Wall time from the first submission to the last job terminal.</param>
/// <param name="SubmitSeconds">Wall time from the first submission until the last submission returned.</param>
/// <param name="CpuSeconds">This process's CPU time (all threads) over the same window.</param>
/// <param name="AllocatedBytes">Bytes allocated by all threads over the same window.</param>
/// <param name="Gen0">Gen0 collections over the window.</param>
/// <param name="Gen2">Gen2 collections over the window.</param>
/// <param name="Entries">Journal entries after the run (0 for Quartz, which keeps none).</param>
/// <param name="GcPauseSeconds">Time the runtime paused threads for garbage collections over the window.</param>
/// <param name="SucceededPublished">How many Succeeded states the engine's change feed published (N when each job's was published once; 0 for Quartz).</param>
/// <param name="WorkItems">Thread-pool work items completed over the window (each is a hop between threads: a continuation, a timer, a queued run).</param>
/// <param name="LockContentions">Times a thread found a lock held and had to wait (Monitor and System.Threading.Lock) over the window.</param>
/// <param name="JitSeconds">Time the JIT spent compiling (all threads) over the window: a round still tiering up measures the JIT too.</param>
/// <param name="JitMethods">Methods the JIT compiled over the window.</param>
internal readonly record struct JobsMeasurement(int Jobs, double Seconds, double SubmitSeconds, double CpuSeconds, long AllocatedBytes, int Gen0, int Gen2, long Entries, double GcPauseSeconds = 0, int SucceededPublished = 0, long WorkItems = 0, long LockContentions = 0, double JitSeconds = 0, long JitMethods = 0)
{
    /// <summary>Gets the share of the process's CPU time the JIT took.</summary>
    public double JitCpuShare => CpuSeconds > 0 ? JitSeconds / CpuSeconds : 0;

    public double WorkItemsPerJob => (double)WorkItems / Jobs;

    public double LockContentionsPerJob => (double)LockContentions / Jobs;

    public double Rate => Jobs / Seconds;

    public double SubmitRate => Jobs / SubmitSeconds;

    public double CpuMicrosPerJob => CpuSeconds * 1e6 / Jobs;

    public double BytesPerJob => (double)AllocatedBytes / Jobs;

    public double EntriesPerJob => (double)Entries / Jobs;

    public double GcPauseShare => GcPauseSeconds / Seconds;
}

/// <summary>Wall clock, process CPU, allocations and collections, started together.</summary>
internal sealed class JobsMeter
{
    private readonly Stopwatch _wall;
    private readonly TimeSpan _cpu;
    private readonly long _allocated;
    private readonly int _gen0;
    private readonly int _gen1;
    private readonly long _heap;
    private readonly int _gen2;
    private readonly TimeSpan _paused;
    private readonly long _workItems;
    private readonly long _contentions;
    private readonly TimeSpan _jit;
    private readonly long _jitMethods;
    private double _submitSeconds;

    public JobsMeter()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        _gen0 = GC.CollectionCount(0);
        _gen2 = GC.CollectionCount(2);
        _gen1 = GC.CollectionCount(1);
        _heap = GC.GetTotalMemory(forceFullCollection: false);
        _allocated = GC.GetTotalAllocatedBytes(precise: true);
        _paused = GC.GetTotalPauseDuration();
        _workItems = ThreadPool.CompletedWorkItemCount;
        _contentions = Monitor.LockContentionCount;
        _jit = System.Runtime.JitInfo.GetCompilationTime();
        _jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
        _cpu = Process.GetCurrentProcess().TotalProcessorTime;
        Mark("start");
        _wall = Stopwatch.StartNew();
    }

    // JM_MARKS=1: print the monotonic clock (ns) where each measured phase starts and stops, so a profile recorded with
    // `perf record -k CLOCK_MONOTONIC` can be cut to the measured phases alone (see benchmarks/tools/perf_window.py).
    private static readonly bool Marks = Environment.GetEnvironmentVariable("JM_MARKS") == "1";

    public void Submitted() => _submitSeconds = _wall.Elapsed.TotalSeconds;

    public JobsMeasurement Stop(int jobs, long entries = 0)
    {
        _wall.Stop();
        Mark("stop");
        TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime - _cpu;
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
        if (Environment.GetEnvironmentVariable("JM_GC_DETAIL") == "1")
        {
            // Which collections ran, and what the measured work left alive per job (the journal keeps every entry).
            GCMemoryInfo ephemeral = GC.GetGCMemoryInfo(GCKind.Ephemeral);
            int gen0 = GC.CollectionCount(0) - _gen0, gen1 = GC.CollectionCount(1) - _gen1, gen2 = GC.CollectionCount(2) - _gen2;
            long retained = GC.GetTotalMemory(forceFullCollection: true) - _heap;
            Console.WriteLine(FormattableString.Invariant($"    GC: gen0 {gen0 - gen1}, gen1 {gen1 - gen2}, gen2 {gen2}; last ephemeral (gen{ephemeral.Generation}) promoted {ephemeral.PromotedBytes / 1024:N0} KB in {ephemeral.PauseDurations[0].TotalMilliseconds:N1} ms; retained after a full collection {retained / Math.Max(1, jobs):N0} B/job"));
        }

        return new JobsMeasurement(jobs, _wall.Elapsed.TotalSeconds, _submitSeconds, cpu.TotalSeconds, allocated, GC.CollectionCount(0) - _gen0, GC.CollectionCount(2) - _gen2, entries, (GC.GetTotalPauseDuration() - _paused).TotalSeconds, WorkItems: ThreadPool.CompletedWorkItemCount - _workItems, LockContentions: Monitor.LockContentionCount - _contentions, JitSeconds: (System.Runtime.JitInfo.GetCompilationTime() - _jit).TotalSeconds, JitMethods: System.Runtime.JitInfo.GetCompiledMethodCount() - _jitMethods);
    }

    private static void Mark(string what)
    {
        if (Marks)
        {
            // Stopwatch reads CLOCK_MONOTONIC in nanoseconds on Linux: the clock perf's -k CLOCK_MONOTONIC stamps samples with.
            Console.WriteLine(FormattableString.Invariant($"MARK {what} {Stopwatch.GetTimestamp()}"));
        }
    }

    /// <summary>Runs <paramref name="submit"/> for indexes 0..count-1 from <paramref name="submitters"/> concurrent tasks.</summary>
    public static async Task SubmitAllAsync(int count, int submitters, Func<int, ValueTask> submit)
    {
        int next = -1;
        var tasks = new Task[Math.Min(submitters, count)];
        for (int t = 0; t < tasks.Length; t++)
        {
            tasks[t] = Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    await submit(i).ConfigureAwait(false);
                }
            });
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }
}
