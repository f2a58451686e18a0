using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using EventId = JobManagement.EventId;

namespace JobManagement.CrashChild;

/// <summary>
/// One "node" of the multi-node test: an engine over a shared PostgreSQL schema that creates a fixed
/// set of jobs (caller-chosen JobIds and RequestIds, the same on every node) and delivers the same
/// events (same EventIds) to them in its own seeded random order, from several workers.
/// Protocol on stdout/stdin: prints "ready", waits for "go"; works; prints "done &lt;n&gt; applied &lt;m&gt; duplicate" (or exits non-zero
/// with the error on stderr if any call failed or returned an unexpected outcome), with how many of
/// its events it applied and how many the other node had recorded first; waits for
/// "report"; prints "state &lt;job&gt; &lt;status&gt; &lt;version&gt; ." per job and exits 0.
/// </summary>
internal static class DeliverNode
{
    public const int Jobs = 24;

    public const int EventsPerJob = 5;

    public static async Task<int> RunAsync(string connection, string schema, string tag, int seed)
    {
        await using ServiceProvider provider = new ServiceCollection()
            .AddJobEngine(jobs => jobs
                .UsePostgreSqlJournal(connection, o => o.Schema = schema)
                .AddPlan("multi-node", plan => plan.Expect("step.done", e => e.CorrelatedOn("run").Times(EventsPerJob))))
            .Services.BuildServiceProvider();
        JobEngine engine = provider.GetRequiredService<JobEngine>();
        var random = new Random(seed);
        var errors = new ConcurrentQueue<string>();
        int applied = 0;
        int duplicates = 0;

        // Warm up (connection pool, schema check, JIT) before "ready", so that both nodes really start together.
        await provider.GetRequiredService<IJobEventJournal>().FindByEventIdAsync(EventId.Parse($"warm-up-{tag}"));
        await engine.GetStateAsync(JobId.Parse($"job-warm-up-{tag}"));
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        if (Console.In.ReadLine() != "go")
        {
            return 2;
        }

        int[] jobOrder = [.. Enumerable.Range(0, Jobs)];
        random.Shuffle(jobOrder);
        (int Job, int Step)[] eventOrder = [.. Enumerable.Range(0, Jobs).SelectMany(job => Enumerable.Range(0, EventsPerJob).Select(step => (job, step)))];
        random.Shuffle(eventOrder);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 4 };

        await Parallel.ForEachAsync(jobOrder, parallel, async (job, token) =>
        {
            string run = Run(tag, job);
            JobCreationResult created = await engine.CreateJobAsync(new CreateJobRequest
            {
                JobType = JobType.Parse("multi-node"),
                RequestId = EventId.Parse($"req-{run}"),
                JobId = JobId.Parse($"job-{run}"),
                Correlation = EventAttributes.Of(("run", run)),
            }, token);
            if (created.JobId != JobId.Parse($"job-{run}"))
            {
                errors.Enqueue($"job {run} was created as {created.JobId}");
            }
        });

        await Parallel.ForEachAsync(eventOrder, parallel, async (item, token) =>
        {
            string run = Run(tag, item.Job);
            IngestResult result = await engine.IngestAsync(new IncomingEvent
            {
                EventId = EventId.Parse($"evt-{run}-{item.Step}"),
                Type = EventTypeId.Parse("step.done"),
                OccurredAt = DateTimeOffset.UnixEpoch.AddMinutes(item.Step),
                Attributes = EventAttributes.Of(("run", run)),
            }, token);
            bool expected = result.Outcomes.Length == 1
                && result.Outcomes[0].JobId == JobId.Parse($"job-{run}")
                && result.Outcomes[0].Status is IngestStatus.Applied or IngestStatus.Duplicate;
            if (expected)
            {
                Interlocked.Increment(ref result.Outcomes[0].Status == IngestStatus.Applied ? ref applied : ref duplicates);
            }
            else
            {
                errors.Enqueue($"event evt-{run}-{item.Step}: unexpected outcome {string.Join(", ", result.Outcomes)}");
            }
        });

        if (!errors.IsEmpty)
        {
            Console.Error.WriteLine(string.Join(Environment.NewLine, errors));
            return 3;
        }

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {applied} applied {duplicates} duplicate"));
        Console.Out.Flush();
        if (Console.In.ReadLine() != "report")
        {
            return 2;
        }

        for (int job = 0; job < Jobs; job++)
        {
            JobState? state = await engine.GetStateAsync(JobId.Parse($"job-{Run(tag, job)}"));
            Console.Out.WriteLine(state is null ? $"state job-{Run(tag, job)} missing 0 ." : string.Create(CultureInfo.InvariantCulture, $"state {state.JobId} {state.Status} {state.Version} ."));
        }

        Console.Out.Flush();
        return 0;
    }

    private static string Run(string tag, int job) => string.Create(CultureInfo.InvariantCulture, $"{tag}-{job}");
}
