using BenchmarkDotNet.Attributes;

namespace JobManagement.Benchmarks;

/// <summary>
/// <see cref="JobStateProjector.Project"/> over a whole stream (job.created, job.started, then
/// matching <c>item.scanned</c> entries), against a baseline that only walks the entries and
/// counts the matching ones. Results are per stream; divide <see cref="Entries"/> by the mean
/// for entries per second.
/// </summary>
[MemoryDiagnoser]
public class ProjectionBenchmarks
{
    private readonly JobPlan _plan = Workload.Plan();
    private JobEventLogEntry[] _stream = [];

    [Params(1_000, 100_000)]
    public int Entries { get; set; }

    /// <summary>Records the stream through the engine itself, then reads it back from the journal.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine engine = Workload.CreateEngine(journal);
        Workload.CreateJobsAsync(engine, jobs: 1).GetAwaiter().GetResult();
        IncomingEvent[] events = Workload.Events(Entries - 2, jobs: 1, "scan");
        int applied = Workload.IngestAllAsync(engine, events).GetAwaiter().GetResult();
        _stream = ReadAsync(journal, JobId.Parse("order-0")).GetAwaiter().GetResult();
        if (applied != events.Length || _stream.Length != Entries)
        {
            throw new InvalidOperationException($"the stream has {_stream.Length} entries ({applied} applied); expected {Entries}.");
        }
    }

    /// <summary>The least a fold can do: look at every entry once and count the matching ones.</summary>
    [Benchmark(Baseline = true)]
    public int CountMatching()
    {
        int count = 0;
        foreach (JobEventLogEntry entry in _stream)
        {
            if (entry.EventType == Workload.Scanned)
            {
                count++;
            }
        }

        return count;
    }

    [Benchmark]
    public JobState Project() => JobStateProjector.Project(_plan, _stream);

    private static async Task<JobEventLogEntry[]> ReadAsync(InMemoryJobEventJournal journal, JobId jobId)
    {
        List<JobEventLogEntry> entries = [];
        await foreach (JobEventLogEntry entry in journal.ReadStreamAsync(jobId))
        {
            entries.Add(entry);
        }

        return [.. entries];
    }
}
