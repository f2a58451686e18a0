using System.Diagnostics;
using System.Globalization;

namespace JobManagement.Benchmarks.Compare;

/// <summary>
/// The <c>tracing</c> mode: the ingest benchmark's workload with and without a listener, the configurations
/// taking turns in one process, round after round, each on a fresh engine, so a ratio compares runs seconds
/// apart rather than minutes (BenchmarkDotNet's iterations of this benchmark swing by ±50 % on a shared machine).
/// Each run reports wall time and the process's CPU time per event; the ratios are of CPU time, which other
/// processes on a loaded machine disturb far less than wall time (the work is one thread's, plus the GC's).
/// Besides <see cref="Observation"/>'s three, a fourth configuration measures the floor: the engine unobserved,
/// and a bare span of the harness's own (recorded, no tags) started and stopped just before each
/// <see cref="JobEngine.IngestAsync"/> call — what one recorded span per event costs in this loop, whoever starts it.
/// Beside the call, not around it: a span around it would be the caller's trace context, which the engine then stores
/// with every entry, and that is a cost of its own, which a fifth configuration measures: the same bare span around
/// each call (a traced caller), the engine still unobserved. The order of the configurations rotates
/// each round; medians of the rounds after the first (warm-up) are reported.
/// </summary>
internal static class TracingOverhead
{
    private const string Floor = "BareSpanBeside";
    private const string Caller = "CallerSpanAround";

    private static readonly ActivitySource FloorSource = new("JobManagement.Benchmarks.Floor");

    public static async Task<int> RunAsync(CompareOptions options)
    {
        string[] configurations = [nameof(Observation.Off), nameof(Observation.Everything), nameof(Observation.TenthSampled), Floor, Caller];
        Dictionary<string, List<double>> times = configurations.ToDictionary(static c => c, static _ => new List<double>());
        Dictionary<string, List<double>> cpu = configurations.ToDictionary(static c => c, static _ => new List<double>());
        Dictionary<string, List<double>> pauses = configurations.ToDictionary(static c => c, static _ => new List<double>());
        Dictionary<string, List<double>> ratios = configurations.ToDictionary(static c => c, static _ => new List<double>());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{options.Events:N0} events into {options.Jobs:N0} jobs per run, {options.Rounds} measured rounds after one warm-up"));
        for (int round = 0; round <= options.Rounds; round++)
        {
            var measured = new Dictionary<string, Run>();
            for (int i = 0; i < configurations.Length; i++)
            {
                string configuration = configurations[(i + round) % configurations.Length];
                measured[configuration] = await MeasureAsync(configuration, options, $"r{round}-{configuration}");
            }

            Console.Write(round == 0 ? "  warm-up " : string.Create(CultureInfo.InvariantCulture, $"  round {round,-2}"));
            foreach (string configuration in configurations)
            {
                Run run = measured[configuration];
                double ratio = run.CpuNanoseconds / measured[nameof(Observation.Off)].CpuNanoseconds;
                Console.Write(string.Create(CultureInfo.InvariantCulture, $"  {configuration} {run.Nanoseconds,5:F0} ns {run.CpuNanoseconds,5:F0} CPU-ns {run.Bytes,4} B {run.Collections,2} GCs {run.PauseNanoseconds,4:F0} ns paused ({ratio:F2}×)"));
                if (round > 0)
                {
                    times[configuration].Add(run.Nanoseconds);
                    cpu[configuration].Add(run.CpuNanoseconds);
                    pauses[configuration].Add(run.PauseNanoseconds);
                    ratios[configuration].Add(ratio);
                }
            }

            Console.WriteLine();
        }

        Console.WriteLine("  medians per event: wall time, CPU time, time paused by the GC, and the median of each round's CPU-time ratio to Off in the same round");
        foreach (string configuration in configurations)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {configuration,-16} {Median(times[configuration]),7:F0} ns {Median(cpu[configuration]),7:F0} CPU-ns {Median(pauses[configuration]),6:F0} ns paused   {Median(ratios[configuration]):F2}×"));
        }

        return 0;
    }

    private static async Task<Run> MeasureAsync(string configuration, CompareOptions options, string prefix)
    {
        using JobEngine engine = Workload.CreateEngine(new InMemoryJobEventJournal());
        await Workload.CreateJobsAsync(engine, options.Jobs);
        IncomingEvent[] events = Workload.Events(options.Events, options.Jobs, prefix);
        using var listener = new ObservationListener(Enum.TryParse(configuration, out Observation observation) ? observation : Observation.Off);
        using ActivityListener? floor = configuration is Floor or Caller ? ListenToFloor() : null;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        int collections = GC.CollectionCount(0);
        TimeSpan paused = GC.GetTotalPauseDuration();
        long allocated = GC.GetAllocatedBytesForCurrentThread();
        TimeSpan cpuBefore = Environment.CpuUsage.TotalTime;
        long started = Stopwatch.GetTimestamp();
        int applied = configuration switch
        {
            Floor => await IngestWithBareSpansAsync(engine, events, around: false),
            Caller => await IngestWithBareSpansAsync(engine, events, around: true),
            _ => await Workload.IngestAllAsync(engine, events),
        };
        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        TimeSpan cpuTime = Environment.CpuUsage.TotalTime - cpuBefore;
        paused = GC.GetTotalPauseDuration() - paused;
        long bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        if (applied != events.Length)
        {
            throw new InvalidOperationException($"{applied} of {events.Length} events were applied.");
        }

        return new Run(elapsed.TotalNanoseconds / events.Length, cpuTime.TotalNanoseconds / events.Length, paused.TotalNanoseconds / events.Length, bytes / events.Length, GC.CollectionCount(0) - collections);
    }

    private static async Task<int> IngestWithBareSpansAsync(JobEngine engine, IncomingEvent[] events, bool around)
    {
        int applied = 0;
        foreach (IncomingEvent incoming in events)
        {
            using Activity? span = FloorSource.StartActivity(JobManagementDiagnostics.Names.IngestSpan, ActivityKind.Internal);
            if (!around)
            {
                // Stopped before the call (disposing it again at the end of the loop body does nothing).
                span?.Dispose();
            }

            IngestResult result = await engine.IngestAsync(incoming);
            applied += result.Outcomes.Length == 1 && result.Outcomes[0].Status == IngestStatus.Applied ? 1 : 0;
        }

        return applied;
    }

    private static ActivityListener ListenToFloor()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = static source => source == FloorSource,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private readonly record struct Run(double Nanoseconds, double CpuNanoseconds, double PauseNanoseconds, long Bytes, int Collections);
}
