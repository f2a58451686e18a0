using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance.Workers;

/// <summary>
/// One "node" of a worker conformance test: an engine with the conformance handler and its hosted
/// worker, over the journal the test chose, on a manual clock, without a generic host (the test starts
/// and stops the worker). Several nodes may share one journal's storage, one after the other (a
/// restart) or at once (several workers). Uses only the library's public surface.
/// </summary>
public sealed class WorkerNode : IAsyncDisposable
{
    /// <summary>The job type the conformance handler runs.</summary>
    public const string JobTypeName = "conformance-work";

    private readonly ServiceProvider _services;
    private IHostedService[] _hosted = [];
    private bool _disposed;

    public WorkerNode(ManualTimeProvider clock, WorkerProbe probe, Action<JobEngineBuilder> useJournal, Action<JobHandlerBuilder>? handler = null, Action<JobWorkerOptions>? worker = null)
    {
        ArgumentNullException.ThrowIfNull(useJournal);
        Clock = clock;
        Probe = probe;
        WorkerId = $"worker-{Guid.NewGuid():N}";
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(probe);
        JobEngineBuilder jobs = services.AddJobEngine(jobs => jobs
            .AddHandler<ConformanceHandler, ConformanceInput, ConformanceReceipt>(JobTypeName, handler)
            .ConfigureWorker(options =>
            {
                options.WorkerId = WorkerId;
                options.PollInterval = TimeSpan.FromMinutes(1); // the worker then sleeps exactly until the next due job
                worker?.Invoke(options);
            }));
        useJournal(jobs);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Engine = _services.GetRequiredService<JobEngine>();
        Journal = _services.GetRequiredService<IJobEventJournal>();
    }

    public ManualTimeProvider Clock { get; }

    /// <summary>Gets the worker's status (when it last read the journal, what runs and waits).</summary>
    public IJobWorkerStatus Status => _services.GetRequiredService<IJobWorkerStatus>();

    public WorkerProbe Probe { get; }

    public string WorkerId { get; }

    public JobEngine Engine { get; }

    public IJobEventJournal Journal { get; }

    public JobPlan Plan => _services.GetRequiredService<JobPlanCatalog>().Get(JobType.Parse(JobTypeName));

    /// <summary>Starts the hosted worker (it scans the journal at once).</summary>
    /// <remarks>
    /// The worker is resolved as its own (internal) type, not through <c>GetServices&lt;IHostedService&gt;()</c>:
    /// the IHostedService registration is a factory, so resolving it makes the container dispose the
    /// worker a second time, and <c>JobWorker.Dispose</c> is not idempotent (see
    /// WorkerHostedServiceDisposalTests in JobManagement.Tests).
    /// </remarks>
    public async Task<WorkerNode> StartAsync()
    {
        Type worker = typeof(JobEngine).Assembly.GetType("JobManagement.JobWorker", throwOnError: true)!;
        _hosted = [(IHostedService)_services.GetRequiredService(worker)];
        foreach (IHostedService service in _hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        return this;
    }

    /// <summary>Stops the hosted worker gracefully (within its ShutdownTimeout, on the manual clock).</summary>
    public Task StopAsync() => StopAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;

            // A test that failed may leave a handler blocked, and the clock will not reach the ShutdownTimeout:
            // a real-time bound makes the stop interrupt it instead of hanging the run.
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await StopAsync(bound.Token);
            await _services.DisposeAsync();
        }
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        IHostedService[] hosted = _hosted;
        _hosted = [];
        foreach (IHostedService service in hosted.Reverse())
        {
            await service.StopAsync(cancellationToken);
        }
    }

    public async ValueTask<JobId> CreateAsync(string name)
    {
        JobCreationResult created = await Engine.CreateJobAsync(new CreateJobRequest
        {
            JobType = JobType.Parse(JobTypeName),
            RequestId = EventId.New(Clock),
            Input = System.Text.Json.JsonSerializer.SerializeToElement(new ConformanceInput(name)),
        });
        return created.JobId;
    }

    /// <summary>
    /// Waits until the job's state (as this node reads it from the journal) satisfies the condition.
    /// Polls, because another node may be the one moving the job on; fails after 30 real seconds.
    /// </summary>
    public async Task<JobState> WaitUntilAsync(JobId jobId, Func<JobState, bool> condition, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        JobState? last = null;
        bool met = await Eventually.TrueAsync(async () =>
        {
            last = await Engine.GetStateAsync(jobId);
            return last is not null && condition(last);
        });
        return met ? last! : throw new Xunit.Sdk.XunitException(
            $"Job {jobId} did not reach {what ?? "the expected state"}; last: {last?.Status}, attempts: {string.Join(", ", last?.Attempts.Select(a => $"{a.Number}:{a.Outcome}") ?? [])}, recorded-only: {last?.RecordedOnlyCount}");
    }

    public Task<JobState> WaitForTerminalAsync(JobId jobId) => WaitUntilAsync(jobId, static s => s.IsTerminal, "a terminal state");
}

/// <summary>Condition waits: poll until true, with a real-time deadline. Never a pacing sleep.</summary>
public static class Eventually
{
    /// <summary>The deadline of every condition wait.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>Polls the condition (yielding a few milliseconds between looks) until it holds or the deadline passes.</summary>
    /// <returns>Whether the condition held before the deadline.</returns>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan? deadline = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        DateTime until = DateTime.UtcNow + (deadline ?? Deadline);
        while (true)
        {
            if (await condition())
            {
                return true;
            }

            if (DateTime.UtcNow > until)
            {
                return false;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System); // a polling period, not a pacing sleep
        }
    }
}
