using JobManagement.Benchmarks.Durable;
using JobManagement.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.Benchmarks.Execution;

/// <summary>Which journal an engine run uses.</summary>
internal enum JournalKind
{
    InMemory,
    SqliteFull,
    SqliteNormal,
}

/// <summary>The job's input: nothing (every job is submitted without one).</summary>
internal sealed record NoInput;

/// <summary>The trivial handler: returns at once.</summary>
internal sealed class TrivialHandler : IJobHandler<NoInput>
{
    public ValueTask HandleAsync(JobContext<NoInput> context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>
/// Counts jobs that reached Succeeded and completes when all have: each job's move into Succeeded is heard once
/// on the engine's change feed, under the job's gate, with the status it had before (every job here runs in this
/// process, so every such move is witnessed). A state published again without a witnessed change (a catch-up
/// rebuilding a job from the journal has no status before) is not counted, only reported in <see cref="Published"/>.
/// As cheap as the Quartz side's counter: no set of job ids.
/// </summary>
internal sealed class SucceededCounter(int expected) : IJobChangeListener
{
    private int _count;
    private int _published;

    public TaskCompletionSource AllDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => Volatile.Read(ref _count);

    /// <summary>Gets how many Succeeded states were published (more than <see cref="Count"/> when some were published again).</summary>
    public int Published => Volatile.Read(ref _published);

    public bool IsInterestedIn(JobPlan plan, JobStatus status) => status == JobStatus.Succeeded;

    public void OnChanged(JobSlot slot, JobStatus? statusBefore)
    {
        Interlocked.Increment(ref _published);
        if (statusBefore is { } before && before != JobStatus.Succeeded && Interlocked.Increment(ref _count) == expected)
        {
            AllDone.TrySetResult();
        }
    }
}

/// <summary>
/// One engine with the trivial handler and its hosted worker, hosted without a generic host (as the
/// tests' WorkerHost does): a ServiceCollection with AddJobEngine, the internal JobWorker started and
/// stopped by hand.
/// </summary>
internal sealed class EngineJobs : IAsyncDisposable
{
    public const string JobTypeName = "bench-trivial";

    private readonly ServiceProvider _services;
    private readonly string? _file;

    public EngineJobs(JournalKind journal, JobsOptions options, int? stateCacheCapacity = null)
    {
        var services = new ServiceCollection();
        if (journal != JournalKind.InMemory)
        {
            _file = SqliteDurable.NewFile();
        }

        services.AddJobEngine(jobs =>
        {
            if (_file is not null)
            {
                jobs.UseSqliteJournal($"Data Source={_file}", o => o.Durability = journal == JournalKind.SqliteFull ? SqliteDurability.Full : SqliteDurability.NormalMayLoseLastCommitsOnPowerLoss);
            }

            jobs.AddHandler<TrivialHandler, NoInput>(JobTypeName);
            if (stateCacheCapacity is { } given)
            {
                jobs.Configure(o => o.StateCacheCapacity = given);
            }
            else if (Environment.GetEnvironmentVariable("JM_STATE_CACHE") is { } capacity)
            {
                jobs.Configure(o => o.StateCacheCapacity = int.Parse(capacity, System.Globalization.CultureInfo.InvariantCulture));
            }

            jobs.ConfigureWorker(w =>
            {
                w.WorkerId = "bench-worker";
                w.MaxConcurrency = options.Concurrency;
                w.PollInterval = options.PollInterval;
            });
        });
        _services = services.BuildServiceProvider();
        Engine = _services.GetRequiredService<JobEngine>();
        Journal = _services.GetRequiredService<IJobEventJournal>();
        Worker = _services.GetRequiredService<JobWorker>();
    }

    public JobEngine Engine { get; }

    public IServiceProvider Services => _services;

    public IJobEventJournal Journal { get; }

    internal JobWorker Worker { get; }

    public static readonly JobType JobType = JobType.Parse(JobTypeName);

    /// <summary>
    /// Submits job number <paramref name="index"/>. Its request id is made from the index (unique per engine, and every
    /// measurement has its own engine), as the Quartz side names its job and trigger by the index: EventId.New would add
    /// a UUID's random bytes (a system call on Linux) to our side of the comparison only.
    /// </summary>
    public ValueTask<JobCreationResult> SubmitAsync(int index) =>
        Engine.CreateJobAsync(new CreateJobRequest { JobType = JobType, RequestId = EventId.Parse(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"bench-{index}")) });

    /// <summary>Submits <paramref name="count"/> jobs to a running worker (or, with SubmitFirst, before starting it) and waits until all have succeeded.</summary>
    public static async Task<JobsMeasurement> MeasureAsync(JournalKind journal, JobsOptions options, int count, Dictionary<string, long>? entriesByType = null)
    {
        await using var engine = new EngineJobs(journal, options);
        if (engine.Journal is SqliteJobEventJournal sqlite)
        {
            await sqlite.InitializeAsync();
        }

        var counter = new SucceededCounter(count);
        engine.Engine.Changes.AddListener(counter);
        JobsMeter? submitted = null;
        if (!options.SubmitFirst)
        {
            await engine.Worker.StartAsync(CancellationToken.None); // not timed
        }
        else
        {
            submitted = new JobsMeter();
            await JobsMeter.SubmitAllAsync(count, options.Submitters, async i => await engine.SubmitAsync(i).ConfigureAwait(false));
            submitted.Submitted();
        }

        // JM_ALLOCATION_TYPES=1: also sample which types the measured run allocates (the listener adds its own cost).
        using Compare.AllocationTickListener? types = Environment.GetEnvironmentVariable("JM_ALLOCATION_TYPES") == "1" ? new Compare.AllocationTickListener() : null;
        try
        {
            var meter = new JobsMeter();
            if (submitted is not null)
            {
                await engine.Worker.StartAsync(CancellationToken.None); // the drain starts with the worker (and its first scan)
            }
            else
            {
                await JobsMeter.SubmitAllAsync(count, options.Submitters, async i => await engine.SubmitAsync(i).ConfigureAwait(false));
                meter.Submitted();
            }

            await counter.AllDone.Task.WaitAsync(TimeSpan.FromMinutes(5));
            JobsMeasurement measured = meter.Stop(count);
            types?.Print(measured.BytesPerJob, "job");
            if (submitted is not null)
            {
                // The submission rate is the separate pre-start phase's.
                measured = measured with { SubmitSeconds = submitted.Stop(count).SubmitSeconds };
            }

            return measured with { Entries = await engine.CountEntriesAsync(entriesByType), SucceededPublished = counter.Published };
        }
        finally
        {
            await engine.Worker.StopAsync(CancellationToken.None);
            engine.Engine.Changes.RemoveListener(counter);
        }
    }

    /// <summary>Counts every entry in the journal, by event type when asked.</summary>
    public async Task<long> CountEntriesAsync(Dictionary<string, long>? byType = null)
    {
        long count = 0;
        long from = 1;
        while (true)
        {
            IReadOnlyList<JobEventLogEntry> page = await Journal.ReadAllAsync(from, 10_000);
            foreach (JobEventLogEntry entry in page)
            {
                count++;
                from = entry.Position + 1;
                if (byType is not null)
                {
                    string type = entry.EventType.ToString();
                    byType[type] = byType.GetValueOrDefault(type) + 1;
                }
            }

            if (page.Count < 10_000)
            {
                return count;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        if (_file is not null)
        {
            SqliteDurable.Delete(_file);
        }
    }
}
