using JobManagement.AspNetCore.Tests.Support;
using JobManagement.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.AspNetCore.Tests.Query;

/// <summary>The index only uses the journal contract and the engine's states, so it gives the same answers over every journal.</summary>
public abstract class JobIndexTests : IAsyncLifetime
{
    private readonly List<ServiceProvider> _providers = [];

    [Fact]
    public async Task Query_ReflectsEveryWriteThatFinishedBeforeIt()
    {
        JobEngine engine = Open(out JobIndex sut);
        await CreateOrderAsync(engine, "q-1");
        JobPage before = await sut.QueryAsync(new JobIndexQuery());

        await engine.IngestAsync(Paid("q-1"));
        JobPage after = await sut.QueryAsync(new JobIndexQuery());

        before.Jobs.Single().Status.Should().Be(JobStatus.Running);
        after.Jobs.Single().Status.Should().Be(JobStatus.Succeeded);
        after.Jobs.Single().CompletedAt.Should().NotBeNull();
    }

    [Fact]
    public async Task NewIndex_OverAnExistingJournal_RebuildsTheSameRows()
    {
        JobEngine engine = Open(out JobIndex first);
        for (int i = 0; i < 5; i++)
        {
            await CreateOrderAsync(engine, $"r-{i}");
        }

        await engine.IngestAsync(Paid("r-2"));
        await engine.AbortAsync(JobId.Parse("order-r-3"), "no longer needed");
        JobPage original = await first.QueryAsync(new JobIndexQuery());

        JobEngine restarted = Reopen(out JobIndex rebuilt);
        JobPage again = await rebuilt.QueryAsync(new JobIndexQuery());

        again.Jobs.Should().Equal(original.Jobs);
        (await rebuilt.CountAsync()).Should().Be(new JobStatusCounts(Created: 0, Running: 3, Compensating: 0, Succeeded: 1, Failed: 0, Aborted: 1));
        restarted.Should().NotBeSameAs(engine);
    }

    [Fact]
    public async Task Query_PagesThroughEveryJobWithoutLosingOrRepeatingOne()
    {
        JobEngine engine = Open(out JobIndex sut);
        await CreateOrderAsync(engine, "not-a-shipment");
        for (int part = 0; part < 2; part++)
        {
            await engine.SubmitBatchAsync(
                [.. Enumerable.Range(part * 60, 60).Select(static i => new CreateJobRequest { JobType = JobType.Parse(TestPlans.Shipment), RequestId = EventId.Parse($"ship-{i}"), JobId = JobId.Parse($"ship-{i:D4}") })],
                EventId.Parse($"batch-{part}"));
        }

        List<string> seen = [];
        string? cursor = null;
        do
        {
            JobPage page = await sut.QueryAsync(new JobIndexQuery { JobType = JobType.Parse(TestPlans.Shipment), Cursor = cursor, Limit = 50 });
            seen.AddRange(page.Jobs.Select(static j => j.JobId.Value));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        seen.Should().HaveCount(120).And.OnlyHaveUniqueItems();
        seen[0].Should().Be("ship-0119");
    }

    [Fact]
    public async Task Query_BadCursorOrLimit_ThrowsNamingTheField()
    {
        Open(out JobIndex sut);

        Func<Task> badCursor = async () => await sut.QueryAsync(new JobIndexQuery { Cursor = "-1" });
        Func<Task> badLimit = async () => await sut.QueryAsync(new JobIndexQuery { Limit = JobIndex.MaxPageSize + 1 });

        (await badCursor.Should().ThrowAsync<InvalidJobRequestException>()).Which.Field.Should().Be("Cursor");
        (await badLimit.Should().ThrowAsync<InvalidJobRequestException>()).Which.Field.Should().Be("Limit");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (ServiceProvider provider in _providers)
        {
            await provider.DisposeAsync();
        }

        Cleanup();
    }

    protected abstract void UseJournal(JobEngineBuilder jobs);

    protected virtual void Cleanup()
    {
    }

    private static IncomingEvent Paid(string orderId) => new()
    {
        EventId = EventId.Parse($"paid-{orderId}"),
        Type = EventTypeId.Parse("payment.captured"),
        OccurredAt = DateTimeOffset.UnixEpoch,
        Attributes = EventAttributes.Of(("orderId", orderId)),
    };

    private static ValueTask<JobCreationResult> CreateOrderAsync(JobEngine engine, string orderId) =>
        engine.CreateJobAsync(new CreateJobRequest
        {
            JobType = JobType.Parse(TestPlans.Order),
            RequestId = EventId.Parse($"create-{orderId}"),
            JobId = JobId.Parse($"order-{orderId}"),
            Correlation = EventAttributes.Of(("orderId", orderId)),
        });

    private JobEngine Open(out JobIndex index)
    {
        var services = new ServiceCollection();
        services.AddJobEngine(jobs =>
        {
            TestPlans.Register(jobs);
            UseJournal(jobs);
        });
        services.AddJobIndex();
        ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _providers.Add(provider);
        index = provider.GetRequiredService<JobIndex>();
        return provider.GetRequiredService<JobEngine>();
    }

    /// <summary>A second engine and index over the same journal (for the in-memory journal: the same instance), as after a restart.</summary>
    protected virtual JobEngine Reopen(out JobIndex index) => Open(out index);
}

public sealed class InMemoryJobIndexTests : JobIndexTests
{
    private readonly InMemoryJobEventJournal _journal = new();

    protected override void UseJournal(JobEngineBuilder jobs) => jobs.UseJournal(_ => _journal);
}

public sealed class SqliteJobIndexTests : JobIndexTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("jm-index-").FullName;

    protected override void UseJournal(JobEngineBuilder jobs) => jobs.UseSqliteJournal($"Data Source={Path.Combine(_folder, "journal.db")}");

    protected override void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is not a test failure.
        }
    }
}
