using System.Globalization;
using JobManagement.Benchmarks.Compare;
using JobManagement.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobManagement.Benchmarks.Execution;

/// <summary>
/// The <c>jobs-breakdown</c> mode: what each step of a job's life costs on its own, called directly on the
/// engine without the worker, from the same number of concurrent tasks as the <c>jobs</c> mode submits with:
/// create, claim (<c>TryClaimAsync</c>), a whole attempt (<c>AttemptRun.RunAsync</c>: Polly pipeline, DI scope,
/// handler, registration with the worker's lease-renewal clock, and the <c>job.attempt.succeeded</c> append), the success append alone
/// (<c>RecordAttemptFactAsync</c>), the worker's put-back read (<c>GetStateAsync</c>), and the worker's scan
/// (<c>ReadAllAsync</c> over every entry). The sum of the steps against the worker's end-to-end cost per job
/// shows what the worker's own orchestration adds.
/// </summary>
internal static class JobsBreakdown
{
    public static async Task<int> RunAsync(JobsOptions options)
    {
        Console.WriteLine(Invariant($"jobs-breakdown: {options.Jobs:N0} jobs (in-memory), {options.SqliteJobs:N0} (SQLite), {options.Submitters} concurrent callers per step, {options.Rounds} round(s) (the last is shown; the first warms up); {Environment.ProcessorCount} cores"));
        foreach ((string name, JournalKind kind, int count) in (List<(string, JournalKind, int)>)[("memory", JournalKind.InMemory, options.Jobs), ("sqlite-full", JournalKind.SqliteFull, options.SqliteJobs), ("sqlite-normal", JournalKind.SqliteNormal, options.SqliteJobs)])
        {
            if (!options.Includes(name))
            {
                continue;
            }

            List<(string Step, JobsMeasurement Cost)> steps = [];
            for (int round = 0; round < Math.Max(2, options.Rounds); round++)
            {
                steps = await StepsAsync(kind, options, count);
            }

            Console.WriteLine();
            Console.WriteLine($"{name}:");
            Console.WriteLine("| step | calls/s | wall µs/call | CPU µs/call | allocated B/call | GC pauses |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|");
            foreach ((string step, JobsMeasurement cost) in steps)
            {
                Console.WriteLine(Invariant($"| {step} | {cost.Rate:N0} | {1e6 / cost.Rate:N1} | {cost.CpuMicrosPerJob:N1} | {cost.BytesPerJob:N0} | {cost.GcPauseShare:P0} |"));
            }
        }

        return 0;
    }

    private static async Task<List<(string Step, JobsMeasurement Cost)>> StepsAsync(JournalKind kind, JobsOptions options, int count)
    {
        await using var engine = new EngineJobs(kind, options);
        if (engine.Journal is SqliteJobEventJournal sqlite)
        {
            await sqlite.InitializeAsync();
        }

        JobEngine jobs = engine.Engine;
        JobHandlerRegistration handler = engine.Services.GetServices<JobHandlerRegistration>().Single();
        IServiceScopeFactory scopes = engine.Services.GetRequiredService<IServiceScopeFactory>();
        var workerOptions = new JobWorkerOptions { WorkerId = "bench-breakdown" };
        using var renewals = new LeaseRenewals(TimeProvider.System, workerOptions.LeaseRenewalInterval);
        var ids = new JobId[2 * count];
        var claimed = new AttemptClaim[2 * count];
        List<(string, JobsMeasurement)> steps = [];

        // Two sets of jobs: the first runs whole attempts, the second only records their success.
        steps.Add(("CreateJobAsync (job.created + job.started)", await StepAsync(2 * count, options.Submitters, async i => ids[i] = (await engine.SubmitAsync(i).ConfigureAwait(false)).JobId)));
        steps.Add(("TryClaimAsync (job.attempt.started)", await StepAsync(2 * count, options.Submitters, async i => claimed[i] = await jobs.TryClaimAsync(ids[i], workerOptions.WorkerId, workerOptions.LeaseDuration, CancellationToken.None).ConfigureAwait(false))));
        steps.Add(("AttemptRun.RunAsync (pipeline, scope, handler, lease renewal registration, job.attempt.succeeded)", await StepAsync(count, options.Submitters, async i =>
        {
            using var run = new AttemptRun(jobs, handler, workerOptions, scopes, NullLogger.Instance, renewals, claimed[i], claimed[i].Job.CreatedAt);
            await run.RunAsync().ConfigureAwait(false);
        })));
        steps.Add(("RecordAttemptFactAsync (job.attempt.succeeded alone)", await StepAsync(count, options.Submitters, async i =>
        {
            int j = count + i;
            await jobs.RecordAttemptFactAsync(ids[j], ExecutionFacts.AttemptSucceeded(EventId.New(TimeProvider.System), claimed[j].Attempt!.Value, null, DateTimeOffset.UtcNow), CancellationToken.None).ConfigureAwait(false);
        })));
        steps.Add(("GetStateAsync (the worker's put-back)", await StepAsync(2 * count, options.Submitters, async i => await jobs.GetStateAsync(ids[i]).ConfigureAwait(false))));
        steps.Add(("DI scope alone (CreateAsyncScope, IJobUnitOfWork lookup, resolve the handler, HandleAsync, dispose)", await StepAsync(2 * count, options.Submitters, async i =>
        {
            await using AsyncServiceScope scope = scopes.CreateAsyncScope();
            _ = scope.ServiceProvider.GetService<IJobUnitOfWork>();
            await scope.ServiceProvider.GetRequiredService<TrivialHandler>().HandleAsync(null!, CancellationToken.None).ConfigureAwait(false);
        })));

        long entries = 0;
        JobsMeasurement scan = await StepAsync(1, 1, async _ => entries = await engine.CountEntriesAsync().ConfigureAwait(false));
        steps.Add((Invariant($"ReadAllAsync, pages of 10,000 (the worker's scan), per entry ({entries:N0} entries)"), scan with { Jobs = (int)entries }));
        return steps;
    }

    private static async Task<JobsMeasurement> StepAsync(int count, int concurrency, Func<int, ValueTask> step)
    {
        // JM_ALLOCATION_TYPES=1: also sample which types each step allocates (the listener adds its own cost).
        using AllocationTickListener? types = Environment.GetEnvironmentVariable("JM_ALLOCATION_TYPES") == "1" ? new AllocationTickListener() : null;
        var meter = new JobsMeter();
        await JobsMeter.SubmitAllAsync(count, concurrency, step);
        JobsMeasurement measured = meter.Stop(count);
        types?.Print(measured.BytesPerJob, "call", top: 12);
        return measured;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
