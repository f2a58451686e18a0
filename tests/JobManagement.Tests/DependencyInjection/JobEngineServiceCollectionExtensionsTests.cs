using JobManagement.Journal.Conformance.Features;
using JobManagement.Tests.TestDoubles;
using JobManagement.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.DependencyInjection;

public sealed class JobEngineServiceCollectionExtensionsTests
{
    private const int InMemoryJournalWarning = 1000;
    private static readonly ServiceProviderOptions Strict = new() { ValidateOnBuild = true, ValidateScopes = true };

    [Fact]
    public async Task AddJobEngine_Defaults_ResolvesEveryServiceAsSingletonUnderStrictValidation()
    {
        IServiceCollection services = new ServiceCollection();

        services.AddJobEngine(jobs => jobs.AddPlan("order-fulfillment", plan => plan.Expect("payment.captured")));
        await using ServiceProvider sut = services.BuildServiceProvider(Strict);

        sut.GetRequiredService<JobEngine>().Should().BeSameAs(sut.GetRequiredService<JobEngine>());
        sut.GetRequiredService<IJobEventJournal>().Should().BeOfType<InMemoryJobEventJournal>()
            .And.BeSameAs(sut.GetRequiredService<IJobEventJournal>());
        sut.GetRequiredService<JobPlanCatalog>().Should().BeSameAs(sut.GetRequiredService<JobEngine>().Plans);
        sut.GetRequiredService<JobPlanCatalog>().Plans.Should().ContainSingle().Which.JobType.Value.Should().Be("order-fulfillment");
        sut.GetRequiredService<TimeProvider>().Should().BeSameAs(TimeProvider.System);
        sut.GetRequiredService<IOptions<JobEngineOptions>>().Value.MaxPayloadBytes.Should().Be(256 * 1024);
    }

    [Fact]
    public async Task AddJobEngine_CalledTwice_AddsPlansAndRegistersEachServiceOnce()
    {
        IServiceCollection services = new ServiceCollection();

        services.AddJobEngine(jobs => jobs.AddPlan("order-fulfillment", plan => plan.Expect("payment.captured")));
        services.AddJobEngine(jobs => jobs.AddPlan("invoice-send", plan => plan.Expect("invoice.sent")));
        services.AddJobEngine();
        await using ServiceProvider sut = services.BuildServiceProvider(Strict);

        foreach (Type single in new[] { typeof(JobEngine), typeof(IJobEventJournal), typeof(JobPlanCatalog), typeof(TimeProvider), typeof(IValidateOptions<JobEngineOptions>) })
        {
            services.Count(d => d.ServiceType == single).Should().Be(1, $"{single.Name} is registered once");
        }

        sut.GetRequiredService<JobPlanCatalog>().Plans.Select(static p => p.JobType.Value).Should().BeEquivalentTo("order-fulfillment", "invoice-send");
        JobCreationResult created = await sut.GetRequiredService<JobEngine>().CreateJobAsync(new CreateJobRequest { JobType = JobType.Parse("invoice-send"), RequestId = EventId.Parse("req-1") });
        created.State.Status.Should().Be(JobStatus.Running);
    }

    [Fact]
    public async Task UseJournal_CustomJournal_ReplacesTheInMemoryDefaultAndReceivesTheAppends()
    {
        var journal = new HookJournal(new InMemoryJobEventJournal());
        int appends = 0;
        journal.BeforeAppend = (_, _) =>
        {
            appends++;
            return Task.CompletedTask;
        };
        IServiceCollection services = new ServiceCollection();

        services.AddJobEngine(jobs => jobs
            .UseJournal(_ => journal)
            .AddPlan("order-fulfillment", plan => plan.Expect("payment.captured")));
        services.AddJobEngine();
        await using ServiceProvider sut = services.BuildServiceProvider(Strict);
        await sut.GetRequiredService<JobEngine>().CreateJobAsync(new CreateJobRequest { JobType = JobType.Parse("order-fulfillment"), RequestId = EventId.Parse("req-1") });

        sut.GetRequiredService<IJobEventJournal>().Should().BeSameAs(journal);
        services.Count(static d => d.ServiceType == typeof(IJobEventJournal)).Should().Be(1);
        appends.Should().Be(1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AddJobEngine_RegisteredTimeProvider_StampsRecordedAtAndJobIds(bool registeredFirst)
    {
        var now = new DateTimeOffset(2030, 6, 7, 8, 9, 10, TimeSpan.Zero);
        var time = new ManualTimeProvider(now);
        IServiceCollection services = new ServiceCollection();
        if (registeredFirst)
        {
            services.AddSingleton<TimeProvider>(time);
        }

        services.AddJobEngine(jobs => jobs.AddPlan("order-fulfillment", plan => plan.Expect("payment.captured", e => e.CorrelatedOn("orderId"))));
        if (!registeredFirst)
        {
            services.AddSingleton<TimeProvider>(time);
        }

        await using ServiceProvider provider = services.BuildServiceProvider(Strict);
        JobEngine sut = provider.GetRequiredService<JobEngine>();
        JobCreationResult created = await sut.CreateJobAsync(new CreateJobRequest { JobType = JobType.Parse("order-fulfillment"), RequestId = EventId.Parse("req-1"), Correlation = EventAttributes.Of(("orderId", "1")) });
        time.Advance(TimeSpan.FromMinutes(5));
        await sut.IngestAsync(new IncomingEvent { EventId = EventId.Parse("evt-1"), Type = EventTypeId.Parse("payment.captured"), OccurredAt = DateTimeOffset.UnixEpoch, Attributes = EventAttributes.Of(("orderId", "1")) });

        IReadOnlyList<JobEventLogEntry> history = await sut.GetHistoryAsync(created.JobId);
        history.Select(static e => e.RecordedAt).Should().Equal(now, now, now.AddMinutes(5));
        history[^1].OccurredAt.Should().Be(DateTimeOffset.UnixEpoch, "the producer's time is kept as given");
        created.State.CreatedAt.Should().Be(now);
        Guid.Parse(created.JobId.Value).Version.Should().Be(7);
        Convert.ToInt64(created.JobId.Value.Replace("-", string.Empty, StringComparison.Ordinal)[..12], 16).Should().Be(now.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task AddJobEngine_InvalidOptions_HostStartThrowsOptionsValidationException()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddJobEngine(jobs => jobs.Configure(static options => options.MaxPayloadBytes = 0));
        using IHost sut = builder.Build();

        Func<Task> start = () => sut.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>())
            .Which.Failures.Should().ContainSingle().Which.Should().Contain("JobEngineOptions.MaxPayloadBytes");
    }

    [Fact]
    public async Task AddJobEngine_ValidOptions_HostStartsAndStops()
    {
        HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddJobEngine(jobs => jobs.Configure(static options => options.MaxPayloadBytes = 1024));
        builder.Services.AddJobEngine();
        using IHost sut = builder.Build();

        await sut.StartAsync();
        await sut.StopAsync();

        sut.Services.GetRequiredService<IOptions<JobEngineOptions>>().Value.MaxPayloadBytes.Should().Be(1024);
    }

    [Fact]
    public async Task JobEngine_InMemoryJournal_LogsTheRestartWarningOnce()
    {
        var logs = new CapturingLoggerProvider();
        IServiceCollection services = new ServiceCollection().AddLogging(logging => logging.AddProvider(logs));
        services.AddJobEngine(jobs => jobs.AddPlan("order-fulfillment", plan => plan.Expect("payment.captured")));
        await using ServiceProvider provider = services.BuildServiceProvider(Strict);

        JobEngine sut = provider.GetRequiredService<JobEngine>();
        await sut.CreateJobAsync(new CreateJobRequest { JobType = JobType.Parse("order-fulfillment"), RequestId = EventId.Parse("req-1") });
        await sut.CreateJobAsync(new CreateJobRequest { JobType = JobType.Parse("order-fulfillment"), RequestId = EventId.Parse("req-2") });
        provider.GetRequiredService<JobEngine>();

        CapturedLog warning = logs.Entries.Where(static e => e.EventId == InMemoryJournalWarning).Should().ContainSingle().Subject;
        warning.Level.Should().Be(LogLevel.Warning);
        warning.Category.Should().Be(typeof(JobEngine).FullName);
        warning.Message.Should().Contain("in-memory journal").And.Contain("restart");
    }

    [Fact]
    public async Task JobEngine_OtherJournal_DoesNotLogTheInMemoryWarning()
    {
        var logs = new CapturingLoggerProvider();
        IServiceCollection services = new ServiceCollection().AddLogging(logging => logging.AddProvider(logs));
        services.AddJobEngine(jobs => jobs.UseJournal(static _ => new HookJournal(new InMemoryJobEventJournal())));
        await using ServiceProvider provider = services.BuildServiceProvider(Strict);

        JobEngine sut = provider.GetRequiredService<JobEngine>();

        sut.Plans.Plans.Should().BeEmpty();
        logs.Entries.Should().NotContain(static e => e.EventId == InMemoryJournalWarning);
    }
}
