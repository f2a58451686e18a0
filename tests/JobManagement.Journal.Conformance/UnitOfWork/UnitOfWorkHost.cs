using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JobManagement.Journal.Conformance.UnitOfWork;

/// <summary>
/// An engine over a durable journal with that journal's unit of work and the hosted worker, on the system
/// clock, started and stopped by the test (after tests/JobManagement.Tests/Support/WorkerHost.cs). Waits are
/// on state changes, never on the clock. Shared by the SQLite and PostgreSQL unit-of-work tests.
/// </summary>
/// <typeparam name="TJournal">The journal type.</typeparam>
public sealed class UnitOfWorkHost<TJournal> : IAsyncDisposable
    where TJournal : class, IJobEventJournal
{
    private readonly ServiceProvider _services;
    private bool _started;

    /// <summary>Initializes a host.</summary>
    /// <param name="useJournal">Registers the journal and its unit of work.</param>
    /// <param name="configure">Registers handlers.</param>
    public UnitOfWorkHost(Action<JobEngineBuilder> useJournal, Action<JobEngineBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(useJournal);
        ArgumentNullException.ThrowIfNull(configure);
        var collection = new ServiceCollection();
        collection.AddSingleton(Probe);
        collection.AddJobEngine(jobs =>
        {
            useJournal(jobs);
            jobs.ConfigureWorker(static options => options.WorkerId = $"worker-{Guid.NewGuid():N}");
            configure(jobs);
        });
        _services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Engine = _services.GetRequiredService<JobEngine>();
        Journal = (TJournal)_services.GetRequiredService<IJobEventJournal>();
    }

    public JobEngine Engine { get; }

    public TJournal Journal { get; }

    public UnitOfWorkProbe Probe { get; } = new();

    private IHostedService Worker => _services.GetRequiredService<JobWorker>();

    public async Task<UnitOfWorkHost<TJournal>> StartAsync()
    {
        _started = true;
        await Worker.StartAsync(CancellationToken.None);
        return this;
    }

    public async ValueTask<JobId> CreateAsync(string jobType, object input)
    {
        JobCreationResult created = await Engine.CreateJobAsync(new CreateJobRequest
        {
            JobType = JobType.Parse(jobType),
            RequestId = EventId.New(TimeProvider.System),
            Input = System.Text.Json.JsonSerializer.SerializeToElement(input),
        });
        return created.JobId;
    }

    /// <summary>Waits for the job to end (on state changes); fails after 20 real seconds.</summary>
    public async Task<JobState> WaitForTerminalAsync(JobId jobId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            return await Engine.WaitAsync(jobId, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            JobState? last = await Engine.GetStateAsync(jobId);
            throw new Xunit.Sdk.XunitException($"Job {jobId} did not end; last: {last?.Status}, attempts: {string.Join(", ", last?.Attempts.Select(a => $"{a.Number}:{a.Outcome}") ?? [])}");
        }
    }

    /// <summary>Stops the worker, which waits for the running attempts to end.</summary>
    public async Task StopAsync()
    {
        if (_started)
        {
            _started = false;
            await Worker.StopAsync(CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();

        await _services.DisposeAsync();
    }
}

/// <summary>Lets the test make handlers fail a number of times.</summary>
public sealed class UnitOfWorkProbe
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _inserted = new();
    private int _failuresLeft;

    /// <summary>Gets the tables written through a unit of work's connection.</summary>
    public IReadOnlyCollection<string> InsertedThroughUnitOfWork => _inserted;

    public void Inserted(string table) => _inserted.Enqueue(table);

    /// <summary>Gets the signal a waiting handler sets when it starts.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets the gate a waiting handler waits for.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int FailuresLeft
    {
        get => Volatile.Read(ref _failuresLeft);
        set => Volatile.Write(ref _failuresLeft, value);
    }

    public bool ShouldFail() => Interlocked.Decrement(ref _failuresLeft) >= 0;
}
