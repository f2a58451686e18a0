using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace JobManagement.Benchmarks.Execution;

/// <summary>
/// One trivial job's whole life on the in-memory journal, on one thread, without the worker's loop: create it
/// (<c>job.created</c> + <c>job.started</c>), claim it (<c>job.attempt.started</c>), run the attempt (Polly
/// pipeline, DI scope, handler, lease-renewal registration, <c>job.attempt.succeeded</c>). The engine's own
/// cost per job, steadier than the <c>jobs</c> harness (no thread hops, no other threads' timing), so two builds
/// can be compared; the <c>jobs</c> harness measures the whole worker against Quartz.NET.
/// </summary>
/// <remarks>
/// Each iteration gets a fresh engine (built in <see cref="Setup"/>, outside the measurement) and runs
/// <see cref="JobsPerInvoke"/> jobs; results are per job. The journal keeps every entry, as it does in the harness.
/// </remarks>
[MemoryDiagnoser]
public class JobLifecycleBenchmarks
{
    public const int JobsPerInvoke = 5_000;

    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private EngineJobs? _jobs;
    private JobHandlerRegistration? _handler;
    private IServiceScopeFactory? _scopes;
    private LeaseRenewals? _renewals;
    private readonly JobWorkerOptions _worker = new() { WorkerId = "bench-lifecycle" };

    [IterationSetup]
    public void Setup()
    {
        _jobs = new EngineJobs(JournalKind.InMemory, new JobsOptions());
        _handler = _jobs.Services.GetServices<JobHandlerRegistration>().Single();
        _scopes = _jobs.Services.GetRequiredService<IServiceScopeFactory>();
        _renewals = new LeaseRenewals(TimeProvider.System, _worker.LeaseRenewalInterval);
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _renewals?.Dispose();
        _jobs?.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Create, claim, run, succeed: four journal entries per job.</summary>
    [Benchmark(OperationsPerInvoke = JobsPerInvoke)]
    public async Task CreateClaimRunSucceed()
    {
        JobEngine engine = _jobs!.Engine;
        for (int i = 0; i < JobsPerInvoke; i++)
        {
            JobCreationResult created = await _jobs.SubmitAsync(i).ConfigureAwait(false);
            AttemptClaim claim = await engine.TryClaimAsync(created.JobId, _worker.WorkerId, Lease, CancellationToken.None).ConfigureAwait(false);
            using var run = new AttemptRun(engine, _handler!, _worker, _scopes!, NullLogger.Instance, _renewals!, claim, claim.Job.CreatedAt);
            await run.RunAsync().ConfigureAwait(false);
        }
    }
}
