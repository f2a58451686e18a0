using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.Tests.Support;

/// <summary>
/// An engine with handlers and its hosted worker, on a manual clock, without a generic host: the test
/// starts and stops the worker itself. Several hosts may share one journal (several nodes).
/// </summary>
public sealed class WorkerHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private bool _started;
    private bool _stopped;

    public WorkerHost(Action<JobEngineBuilder> configure, ManualTimeProvider? time = null, IJobEventJournal? journal = null, Action<JobWorkerOptions>? worker = null, Action<IServiceCollection>? services = null)
    {
        Time = time ?? new ManualTimeProvider();
        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddSingleton(Probe);
        services?.Invoke(collection);
        collection.AddJobEngine(jobs =>
        {
            if (journal is not null)
            {
                jobs.UseJournal(_ => journal);
            }

            jobs.ConfigureWorker(options =>
            {
                options.WorkerId = $"worker-{Guid.NewGuid():N}";
                options.PollInterval = TimeSpan.FromSeconds(5);
                worker?.Invoke(options);
            });
            configure(jobs);
        });
        _services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Engine = _services.GetRequiredService<JobEngine>();
        Journal = _services.GetRequiredService<IJobEventJournal>();
    }

    public ManualTimeProvider Time { get; }

    public JobEngine Engine { get; }

    public IJobEventJournal Journal { get; }

    public HandlerProbe Probe { get; } = new();

    internal JobWorker Worker => _services.GetRequiredService<JobWorker>();

    public IServiceProvider Services => _services;

    public async Task<WorkerHost> StartAsync()
    {
        _started = true;
        await Worker.StartAsync(CancellationToken.None);
        return this;
    }

    public async Task StopAsync()
    {
        if (_started && !_stopped)
        {
            _stopped = true;
            Probe.Gate.TrySetResult(); // never leave a blocked handler behind
            using var hostTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await Worker.StopAsync(hostTimeout.Token);
        }
    }

    /// <summary>Disposes the worker without stopping it first, as a host that gave up would (a hard stop); the host then has nothing left to stop.</summary>
    internal void DisposeWorkerWithoutStopping()
    {
        _stopped = true;
        Worker.Dispose();
    }

    public async ValueTask<JobId> CreateAsync(string jobType, object? input = null, int priority = 0, DateTimeOffset? runAt = null, EventAttributes? correlation = null)
    {
        JobCreationResult created = await Engine.CreateJobAsync(new CreateJobRequest
        {
            JobType = JobType.Parse(jobType),
            RequestId = EventId.New(Time),
            Input = input is null ? null : System.Text.Json.JsonSerializer.SerializeToElement(input),
            Priority = priority,
            RunAt = runAt,
            Correlation = correlation ?? EventAttributes.Empty,
        });
        return created.JobId;
    }

    /// <summary>Waits (on state changes, never on the clock) until the job's state satisfies the condition; fails after 20 real seconds.</summary>
    public async Task<JobState> WaitUntilAsync(JobId jobId, Func<JobState, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await foreach (JobState state in Engine.WatchAsync(jobId, timeout.Token))
            {
                if (condition(state))
                {
                    return state;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }

        JobState? last = await Engine.GetStateAsync(jobId);
        throw new Xunit.Sdk.XunitException($"Job {jobId} did not reach the expected state; last: {last?.Status}, attempts: {string.Join(", ", last?.Attempts.Select(a => $"{a.Number}:{a.Outcome}") ?? [])}");
    }

    /// <summary>Polls a condition (yielding between looks, never sleeping) until it holds; fails after 20 real seconds.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string because)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new Xunit.Sdk.XunitException($"Timed out waiting until {because}.");
            }

            await Task.Yield();
        }
    }

    public Task<JobState> WaitForTerminalAsync(JobId jobId) => WaitUntilAsync(jobId, static s => s.IsTerminal);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }
}

/// <summary>Lets test handlers tell the test what they did, and lets the test hold them.</summary>
public sealed class HandlerProbe
{
    private readonly Lock _lock = new();
    private readonly List<string> _calls = [];
    private readonly List<(int Attempt, object Handler, AttemptScopeProbe Scoped)> _scopes = [];
    private int _running;

    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public int MaxConcurrent { get; private set; }

    /// <summary>Completes when released; handlers that await it block until the test says so.</summary>
    public TaskCompletionSource Gate { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed each time a handler enters (the test awaits it to know a handler is running).</summary>
    public TaskCompletionSource Entered { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int FailuresLeft { get; set; }

    /// <summary>Gets, per attempt that recorded it, the handler instance and a scoped dependency it was given.</summary>
    public IReadOnlyList<(int Attempt, object Handler, AttemptScopeProbe Scoped)> Scopes
    {
        get
        {
            lock (_lock)
            {
                return [.. _scopes];
            }
        }
    }

    public void RecordScope(int attempt, object handler, AttemptScopeProbe scoped)
    {
        lock (_lock)
        {
            _scopes.Add((attempt, handler, scoped));
        }
    }

    public void Record(string call)
    {
        lock (_lock)
        {
            _calls.Add(call);
        }
    }

    public IDisposable Enter()
    {
        lock (_lock)
        {
            _running++;
            MaxConcurrent = Math.Max(MaxConcurrent, _running);
        }

        Entered.TrySetResult();
        return new Exit(this);
    }

    public bool ShouldFail()
    {
        lock (_lock)
        {
            if (FailuresLeft > 0)
            {
                FailuresLeft--;
                return true;
            }

            return false;
        }
    }

    private sealed class Exit(HandlerProbe probe) : IDisposable
    {
        public void Dispose()
        {
            lock (probe._lock)
            {
                probe._running--;
            }
        }
    }
}

/// <summary>A scoped dependency that tells when its scope ended.</summary>
public sealed class AttemptScopeProbe : IDisposable
{
    public bool Disposed { get; private set; }

    public void Dispose() => Disposed = true;
}
