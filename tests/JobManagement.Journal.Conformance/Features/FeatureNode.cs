using JobManagement.Journal.Conformance.Workers;
using Microsoft.Extensions.DependencyInjection;
using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance.Features;

/// <summary>
/// One "node" of a feature conformance test: an engine with the <see cref="FeaturePlans"/>, over the
/// journal the test chose (wrapped in a <see cref="HookJournal"/> so the test can fail or interleave its
/// appends), on a manual clock. Several nodes share one journal's storage, one after the other (a
/// restart) or at once (two nodes). Uses only the library's public surface.
/// </summary>
public sealed class FeatureNode : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public FeatureNode(ManualTimeProvider clock, Action<JobEngineBuilder> useJournal, Action<JobEngineOptions>? options = null)
    {
        ArgumentNullException.ThrowIfNull(useJournal);
        Clock = clock;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        JobEngineBuilder jobs = services.AddJobEngine(jobs => jobs.AddPlan(FeaturePlans.Order).AddPlan(FeaturePlans.Parent));
        if (options is not null)
        {
            jobs.Configure(options);
        }

        useJournal(jobs);
        ServiceDescriptor chosen = services.Last(static d => d.ServiceType == typeof(IJobEventJournal));
        jobs.UseJournal(provider => new HookJournal(Resolve(chosen, provider)));
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        Engine = _services.GetRequiredService<JobEngine>();
        Journal = (HookJournal)_services.GetRequiredService<IJobEventJournal>();
    }

    public ManualTimeProvider Clock { get; }

    public JobEngine Engine { get; }

    /// <summary>Gets the journal this node appends through: set <see cref="HookJournal.BeforeAppend"/> to fail or interleave.</summary>
    public HookJournal Journal { get; }

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    /// <summary>A request for an <see cref="FeaturePlans.Order"/> job correlated on <paramref name="orderId"/>.</summary>
    public static CreateJobRequest Order(string requestId, string orderId, string? jobId = null, string? dedupeKey = null, JobId? parent = null) => new()
    {
        JobType = FeaturePlans.Order.JobType,
        RequestId = EventId.Parse(requestId),
        JobId = jobId is null ? null : JobId.Parse(jobId),
        Correlation = EventAttributes.Of(("orderId", orderId)),
        DedupeKey = dedupeKey,
        ParentJobId = parent,
    };

    /// <summary>A request for a <see cref="FeaturePlans.Parent"/> job correlated on <paramref name="orderId"/>.</summary>
    public static CreateJobRequest Parent(string requestId, string orderId, string jobId) =>
        Order(requestId, orderId, jobId) with { JobType = FeaturePlans.Parent.JobType };

    /// <summary>A domain event correlated on <paramref name="orderId"/>, routed by correlation.</summary>
    public static IncomingEvent Domain(string eventId, string type, string orderId) => new()
    {
        EventId = EventId.Parse(eventId),
        Type = EventTypeId.Parse(type),
        OccurredAt = new DateTimeOffset(2026, 1, 1, 11, 0, 0, TimeSpan.Zero),
        Attributes = EventAttributes.Of(("orderId", orderId)),
    };

    /// <summary>Reads every entry of the journal, in position order (through the journal under test).</summary>
    public async Task<List<JobEventLogEntry>> ReadEverythingAsync()
    {
        List<JobEventLogEntry> all = [];
        while (true)
        {
            IReadOnlyList<JobEventLogEntry> page = await Journal.ReadAllAsync(all.Count == 0 ? 1 : all[^1].Position + 1, 500);
            all.AddRange(page);
            if (page.Count < 500)
            {
                return all;
            }
        }
    }

    /// <summary>Reads one stream whole.</summary>
    public async Task<List<JobEventLogEntry>> ReadStreamAsync(JobId jobId)
    {
        List<JobEventLogEntry> entries = [];
        await foreach (JobEventLogEntry entry in Journal.ReadStreamAsync(jobId, 1))
        {
            entries.Add(entry);
        }

        return entries;
    }

    /// <summary>
    /// Checks a job's stream: sequences 1..n without a gap, and the public projector's fold of it equals
    /// what this node's engine reports. Returns the state.
    /// </summary>
    public async Task<JobState> CheckStreamAsync(JobId jobId)
    {
        JobState state = (await Engine.GetStateAsync(jobId))
            ?? throw new Xunit.Sdk.XunitException($"Job {jobId} does not exist.");
        StreamChecks stream = await StreamChecks.ReadAsync(Journal, Engine.Plans.Get(state.JobType), jobId);
        stream.ContiguousSequences.Should().BeTrue($"job {jobId}'s sequences are 1..n");
        stream.Projected.Should().Be(state, $"job {jobId}'s stream projects to what the engine reports");
        return state;
    }

    private static IJobEventJournal Resolve(ServiceDescriptor descriptor, IServiceProvider provider) =>
        descriptor.ImplementationInstance as IJobEventJournal
        ?? (IJobEventJournal?)descriptor.ImplementationFactory?.Invoke(provider)
        ?? (IJobEventJournal)ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);
}
