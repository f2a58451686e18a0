using System.Diagnostics;
using System.Globalization;
using EventId = JobManagement.EventId; // Microsoft.Extensions.Logging has an EventId too

namespace JobManagement.Benchmarks.Compare;

/// <summary>
/// The <c>breakdown</c> mode: times the steps of one ingest in isolation (journal lookups, the
/// journal's append, the projector's Apply) beside a whole <see cref="JobEngine.IngestAsync"/>, on
/// the benchmark workload, so the share each step takes can be read off. Stopwatch, one thread;
/// three repetitions, each with a fresh engine; the last is the one to read (JIT settled).
/// </summary>
internal static class CostBreakdown
{
    public static async Task<int> RunAsync(CompareOptions options)
    {
        int count = options.Events;
        for (int repetition = 1; repetition <= 3; repetition++)
        {
            var journal = new InMemoryJobEventJournal();
            using JobEngine engine = Workload.CreateEngine(journal);
            await Workload.CreateJobsAsync(engine, options.Jobs);
            IncomingEvent[] events = Workload.Events(count, options.Jobs, $"ingest{repetition}");
            IReadOnlyList<NewJobEvent>[] appends = [.. Workload.Events(count, options.Jobs, $"append{repetition}").Select(static e => (IReadOnlyList<NewJobEvent>)[ToNew(e)])];
            JobId[] jobs = [.. Enumerable.Range(0, options.Jobs).Select(static j => JobId.Parse($"order-{j}"))];
            JobLookup[] lookups = [.. Enumerable.Range(0, options.Jobs).Select(static j => new JobLookup(Workload.JobType, "orderId", Workload.OrderKey(j)))];
            JobPlan plan = engine.Plans.Get(Workload.JobType);
            JobState state = (await engine.GetStateAsync(jobs[0]))!;
            JobEventLogEntry[] next = [.. appends.Take(1000).Select(a => a[0].ToEntry(jobs[0], state.Version + 1, 1))];
            Console.WriteLine($"repetition {repetition}: {count:N0} operations each, {options.Jobs:N0} jobs");

            await TimeAsync("journal.FindByEventIdAsync (unseen id)", count, async i => await journal.FindByEventIdAsync(events[i].EventId));
            await TimeAsync("journal.FindJobsAsync (job index)", count, async i => await journal.FindJobsAsync(lookups[i % lookups.Length]));
            await TimeAsync("JobStateProjector.Apply (one entry)", count, i =>
            {
                JobStateProjector.Apply(plan, state, next[i % next.Length]);
                return ValueTask.CompletedTask;
            });
            await TimeAsync("engine.IngestAsync (whole path)", count, async i => await engine.IngestAsync(events[i]));

            // Into streams of their own: appending to the engine's job streams behind its back would
            // make every later ingest lose the expected-version check and take the retry path.
            JobId[] streams = [.. Enumerable.Range(0, options.Jobs).Select(static j => JobId.Parse($"raw-{j}"))];
            await TimeAsync("journal.AppendAsync (one new entry)", count, async i => await journal.AppendAsync(streams[i % streams.Length], ExpectedStreamVersion.Any, appends[i]));
        }

        return 0;
    }

    private static NewJobEvent ToNew(IncomingEvent incoming) => new()
    {
        EventId = incoming.EventId,
        EventType = incoming.Type,
        Lane = EventLane.Domain,
        OccurredAt = incoming.OccurredAt,
        RecordedAt = incoming.OccurredAt,
        Attributes = incoming.Attributes,
    };

    private static async Task TimeAsync(string step, int count, Func<int, ValueTask> operation)
    {
        GC.Collect();
        TimeSpan pausedBefore = GC.GetTotalPauseDuration();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            await operation(i);
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        TimeSpan paused = GC.GetTotalPauseDuration() - pausedBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {step,-42} {elapsed.TotalNanoseconds / count,7:N0} ns  {allocated / (double)count,6:N0} B   GC pauses {paused / elapsed,4:P0}"));
    }
}
