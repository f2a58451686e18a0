using System.Diagnostics.Tracing;
using System.Globalization;

namespace JobManagement.Benchmarks.Compare;

/// <summary>
/// The <c>allocations</c> mode: ingests events as the ingest benchmark does and samples the runtime's
/// allocation ticks (one per ~100 KB allocated, with the type that crossed the threshold) to show
/// which types dominate the bytes allocated per event. A sample, not an exact count: use the
/// MemoryDiagnoser figure for the total, and this for the shares.
/// </summary>
internal static class AllocationProfile
{
    public static async Task<int> RunAsync(CompareOptions options)
    {
        using JobEngine engine = Workload.CreateEngine(new InMemoryJobEventJournal());
        await Workload.CreateJobsAsync(engine, options.Jobs);
        IncomingEvent[] warmUp = Workload.Events(Math.Min(options.Events, 10_000), options.Jobs, "warm");
        await Workload.IngestAllAsync(engine, warmUp);
        IncomingEvent[] events = Workload.Events(options.Events, options.Jobs, "profiled");
        GC.Collect();

        using var listener = new AllocationTickListener();
        long before = GC.GetAllocatedBytesForCurrentThread();
        int applied = await Workload.IngestAllAsync(engine, events);
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        listener.Stop();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{applied:N0} events ingested, {bytes / (double)options.Events:N0} bytes allocated per event on this thread ({listener.Total:N0} bytes sampled in allocation ticks)"));
        foreach ((string type, long ticks) in listener.ByType.OrderByDescending(static p => p.Value).Take(30))
        {
            double share = ticks / (double)listener.Total;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {share,6:P1}  ~{share * bytes / options.Events,5:N0} B/event  {type}"));
        }

        return 0;
    }
}
