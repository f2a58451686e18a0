using System.Globalization;

namespace JobManagement.Benchmarks.Execution;

/// <summary>
/// The <c>waiting-retained</c> mode: the bytes a job waiting in the queue keeps alive after a full collection, with
/// the in-memory journal alone (a state cache of one) and with its state cached too. A queue's backlog of waiting jobs
/// is what every young collection copies while the worker catches up, so these bytes are a cost per job. Then what a
/// job that ran to Succeeded keeps (the in-memory journal keeps every entry; Quartz.NET forgets a finished job). The journal's
/// native memory (its entries and indexes, which no collection touches) is reported apart.
/// </summary>
internal static class WaitingRetained
{
    public static async Task<int> RunAsync(int jobs)
    {
        (long journalOnly, long native) = await MeasureAsync(jobs, stateCache: 1);
        (long cached, _) = await MeasureAsync(jobs, stateCache: jobs + 1);
        double quartz = await QuartzJobs.RetainedPerWaitingJobAsync(jobs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"waiting-retained: {jobs:N0} jobs created, none run: {(double)journalOnly / jobs:N0} B/job kept by the journal on the collector's heap and {(double)native / jobs:N0} B/job in its native memory, {(double)(cached - journalOnly) / jobs:N0} B/job more by the cached state; Quartz.NET's RAMJobStore keeps {quartz:N0} B per job scheduled"));
        (long finished, long finishedNative) = await MeasureFinishedAsync(jobs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"finished-retained: {jobs:N0} jobs run to Succeeded: {(double)finished / jobs:N0} B/job kept on the collector's heap (journal, the engine's memory of finished jobs) and {(double)finishedNative / jobs:N0} B/job in the journal's native memory; Quartz.NET forgets a finished job"));
        return 0;
    }

    private static async Task<(long Heap, long Native)> MeasureAsync(int jobs, int stateCache)
    {
        await using var engine = new EngineJobs(JournalKind.InMemory, new JobsOptions(), stateCache);
        var journal = (InMemoryJobEventJournal)engine.Journal;
        await engine.SubmitAsync(-1); // everything a first job makes once (plan lookups, the cache's lists) is not per job
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long nativeBefore = journal.NativeBytes;
        for (int i = 0; i < jobs; i++)
        {
            await engine.SubmitAsync(i);
        }

        long after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(engine);
        return (after - before, journal.NativeBytes - nativeBefore);
    }

    /// <summary>What a job that ran to Succeeded keeps alive: in a sustained run every young collection copies it once or twice.</summary>
    private static async Task<(long Heap, long Native)> MeasureFinishedAsync(int jobs)
    {
        await using var engine = new EngineJobs(JournalKind.InMemory, new JobsOptions());
        var journal = (InMemoryJobEventJournal)engine.Journal;
        await engine.Worker.StartAsync(CancellationToken.None);
        try
        {
            // A first job runs alone: what the first run makes once (the handler's pipeline, the index's queues) is not per job.
            await RunAsync(engine, first: -1, count: 1);
            long before = GC.GetTotalMemory(forceFullCollection: true);
            long nativeBefore = journal.NativeBytes;
            await RunAsync(engine, first: 0, count: jobs);
            long after = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(engine);
            return (after - before, journal.NativeBytes - nativeBefore);
        }
        finally
        {
            await engine.Worker.StopAsync(CancellationToken.None);
        }
    }

    private static async Task RunAsync(EngineJobs engine, int first, int count)
    {
        var counter = new SucceededCounter(count);
        engine.Engine.Changes.AddListener(counter);
        try
        {
            for (int i = first; i < first + count; i++)
            {
                await engine.SubmitAsync(i);
            }

            await counter.AllDone.Task.WaitAsync(TimeSpan.FromMinutes(5));
        }
        finally
        {
            engine.Engine.Changes.RemoveListener(counter);
        }
    }
}
