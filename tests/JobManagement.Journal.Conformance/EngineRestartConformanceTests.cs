using Microsoft.Extensions.DependencyInjection;
using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance;

/// <summary>
/// What a durable journal owes the engine across a restart: a new engine over the same storage
/// reports the same state, routes events without a job id by the stored correlation index, and
/// still recognises redeliveries. Each durable journal's test project subclasses it in a few lines.
/// </summary>
public abstract class EngineRestartConformanceTests
{
    /// <summary>Gets why the journal cannot be tested here (for example: no server locally), or null.</summary>
    protected virtual string? UnavailableReason => null;

    /// <summary>Chooses the journal under test, over storage that survives between the two engines of the test.</summary>
    /// <param name="jobs">The engine builder.</param>
    protected abstract void UseJournal(JobEngineBuilder jobs);

    [SkippableFact]
    public async Task Engine_RestartedOverSameStorage_ReportsSameStateAndRoutesByCorrelation()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        JobState before;
        await using (ServiceProvider first = BuildProvider())
        {
            JobEngine engine = first.GetRequiredService<JobEngine>();
            await engine.CreateJobAsync(Request("req-1", "42"));
            await engine.IngestAsync(Delivered("evt-1", "42"));
            before = (await engine.GetStateAsync(JobId.Parse("order-42")))!;
        }

        await using ServiceProvider second = BuildProvider();
        JobEngine sut = second.GetRequiredService<JobEngine>();

        JobState? after = await sut.GetStateAsync(JobId.Parse("order-42"));
        after.Should().Be(before, "state is derived from the journal, which survived the restart");

        // The correlation index is stored too: an event without a job id still finds the job.
        IngestResult routed = await sut.IngestAsync(Delivered("evt-2", "42"));
        routed.Outcomes.Should().ContainSingle().Which.Should().Match<JobIngestOutcome>(o => o.JobId == JobId.Parse("order-42") && o.JobStatus == JobStatus.Succeeded);

        IngestResult redelivered = await sut.IngestAsync(Delivered("evt-1", "42"));
        redelivered.IsDuplicate.Should().BeTrue("idempotency survives a restart");
    }

    private ServiceProvider BuildProvider()
    {
        var services = new ServiceCollection();
        JobEngineBuilder jobs = services.AddJobEngine(jobs => jobs
            .AddPlan("order-fulfillment", plan => plan.Expect("parcel.delivered", e => e.CorrelatedOn("orderId").Times(2))));
        UseJournal(jobs);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private static CreateJobRequest Request(string requestId, string orderId) => new()
    {
        JobType = JobType.Parse("order-fulfillment"),
        RequestId = EventId.Parse(requestId),
        JobId = JobId.Parse($"order-{orderId}"),
        Correlation = EventAttributes.Of(("orderId", orderId)),
    };

    private static IncomingEvent Delivered(string eventId, string orderId) => new()
    {
        EventId = EventId.Parse(eventId),
        Type = EventTypeId.Parse("parcel.delivered"),
        OccurredAt = DateTimeOffset.UnixEpoch,
        Attributes = EventAttributes.Of(("orderId", orderId)),
    };
}
