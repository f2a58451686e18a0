using System.Runtime.CompilerServices;
using JobManagement.AspNetCore.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace JobManagement.AspNetCore.Tests.Health;

public sealed class JobEngineHealthCheckTests
{
    [Fact]
    public async Task Check_JournalReadableWorkerRunningNothingWaiting_IsHealthy()
    {
        await using ServiceProvider provider = Build(JobWorkerLiveness.Running);

        HealthReportEntry sut = await CheckAsync(provider);

        sut.Status.Should().Be(HealthStatus.Healthy);
        sut.Data["worker"].Should().Be("Running");
    }

    [Fact]
    public async Task Check_NoWorkerRegistered_IsHealthy()
    {
        await using ServiceProvider provider = Build(JobWorkerLiveness.NotRegistered);

        HealthReportEntry sut = await CheckAsync(provider);

        sut.Status.Should().Be(HealthStatus.Healthy);
    }

    [Theory]
    [InlineData(JobWorkerLiveness.NotStarted)]
    [InlineData(JobWorkerLiveness.Stopped)]
    public async Task Check_WorkerNotRunning_IsUnhealthy(JobWorkerLiveness liveness)
    {
        await using ServiceProvider provider = Build(liveness);

        HealthReportEntry sut = await CheckAsync(provider);

        sut.Status.Should().Be(HealthStatus.Unhealthy);
        sut.Description.Should().Contain(liveness.ToString());
    }

    [Fact]
    public async Task Check_JournalUnreadable_IsUnhealthy()
    {
        await using ServiceProvider provider = Build(JobWorkerLiveness.Running, journal: new UnreachableJournal());

        HealthReportEntry sut = await CheckAsync(provider);

        sut.Status.Should().Be(HealthStatus.Unhealthy);
        sut.Exception.Should().BeOfType<JobJournalException>();
    }

    [Fact]
    public async Task Check_JobWaitingForItsFirstAttemptLongerThanTheThreshold_IsDegraded()
    {
        var clock = new SettableClock();
        await using ServiceProvider provider = Build(JobWorkerLiveness.Running, clock);
        JobEngine engine = provider.GetRequiredService<JobEngine>();
        await engine.CreateJobAsync(new CreateJobRequest { JobType = JobType.Parse(TestPlans.Poison), RequestId = EventId.Parse("waiting"), JobId = JobId.Parse("waiting-job") });

        clock.Now += TimeSpan.FromMinutes(1);
        HealthReportEntry early = await CheckAsync(provider);
        clock.Now += TimeSpan.FromMinutes(10);
        HealthReportEntry late = await CheckAsync(provider);

        early.Status.Should().Be(HealthStatus.Healthy);
        early.Data["oldestWaitingJob"].Should().Be("waiting-job");
        late.Status.Should().Be(HealthStatus.Degraded);
        late.Description.Should().Contain("waiting-job");
    }

    [Fact]
    public async Task Check_DelayedJobNotDueYet_IsNotWaiting()
    {
        var clock = new SettableClock();
        await using ServiceProvider provider = Build(JobWorkerLiveness.Running, clock);
        await provider.GetRequiredService<JobEngine>().CreateJobAsync(new CreateJobRequest
        {
            JobType = JobType.Parse(TestPlans.Poison), RequestId = EventId.Parse("later"), RunAt = clock.Now + TimeSpan.FromHours(1),
        });

        clock.Now += TimeSpan.FromMinutes(30);
        HealthReportEntry sut = await CheckAsync(provider);

        sut.Status.Should().Be(HealthStatus.Healthy);
        sut.Data.Should().NotContainKey("oldestWaitingJob");
    }

    [Fact]
    public async Task DefaultWorkerMonitor_InAStartedHost_SeesTheWorkerRunning()
    {
        using var factory = new JobApiFactory();
        HttpResponseMessage health = await factory.CreateClient().GetAsync("/health");

        (await health.Content.ReadAsStringAsync()).Should().Be("Healthy");
        factory.Services.GetRequiredService<IJobWorkerMonitor>().GetLiveness().Should().Be(JobWorkerLiveness.Running);
    }

    private static ServiceProvider Build(JobWorkerLiveness liveness, TimeProvider? clock = null, IJobEventJournal? journal = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        if (journal is not null)
        {
            services.AddSingleton(journal);
        }

        services.AddSingleton<IJobWorkerMonitor>(new FixedWorkerMonitor(liveness));
        services.AddJobEngine(TestPlans.Register);
        services.AddHealthChecks().AddJobEngineHealthCheck(configure: static o => o.MaxWaitingAge = TimeSpan.FromMinutes(5));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static async Task<HealthReportEntry> CheckAsync(IServiceProvider provider)
    {
        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries["job-engine"];
    }

    private sealed class FixedWorkerMonitor(JobWorkerLiveness liveness) : IJobWorkerMonitor
    {
        public JobWorkerLiveness GetLiveness() => liveness;
    }

    /// <summary>A journal whose every read fails, as a database that went away would.</summary>
    private sealed class UnreachableJournal : IJobEventJournal
    {
        private static JobJournalException Down() => new("The journal's database cannot be reached.");

        public ValueTask<AppendResult> AppendAsync(JobId jobId, ExpectedStreamVersion expectedVersion, IReadOnlyList<NewJobEvent> events, CancellationToken cancellationToken = default) => throw Down();

        public async IAsyncEnumerable<JobEventLogEntry> ReadStreamAsync(JobId jobId, long fromSequence = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.CompletedTask;
            throw Down();
#pragma warning disable CS0162 // an iterator needs a yield
            yield break;
#pragma warning restore CS0162
        }

        public ValueTask<IReadOnlyList<JobEventLogEntry>> ReadAllAsync(long fromPosition, int maxCount, CancellationToken cancellationToken = default) => throw Down();

        public ValueTask<IReadOnlyList<JobEventLogEntry>> FindByEventIdAsync(EventId eventId, CancellationToken cancellationToken = default) => throw Down();

        public ValueTask<long> GetStreamVersionAsync(JobId jobId, CancellationToken cancellationToken = default) => throw Down();

        public ValueTask<IReadOnlyList<JobId>> FindJobsAsync(JobLookup lookup, CancellationToken cancellationToken = default) => throw Down();

        public IAsyncEnumerable<JobEventLogEntry> FindRecordedEventsAsync(RecordedEventLookup lookup, CancellationToken cancellationToken = default) => throw Down();
    }
}
