using Microsoft.Extensions.DependencyInjection;
using EventId = JobManagement.EventId;

namespace JobManagement.PostgreSql.Tests;

public sealed class PostgreSqlEngineRestartTests : IAsyncLifetime
{
    private readonly TemporarySchema _schema = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _schema.DisposeAsync();

    [PostgreSqlFact]
    public async Task Engine_RestartedOverSameSchema_ReportsSameStateAndRoutesByCorrelation()
    {
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

        // The correlation index lives in the database too: an event without a job id still finds the job.
        IngestResult routed = await sut.IngestAsync(Delivered("evt-2", "42"));
        routed.Outcomes.Should().ContainSingle().Which.Should().Match<JobIngestOutcome>(o => o.JobId == JobId.Parse("order-42") && o.JobStatus == JobStatus.Succeeded);

        IngestResult redelivered = await sut.IngestAsync(Delivered("evt-1", "42"));
        redelivered.IsDuplicate.Should().BeTrue("idempotency survives a restart");
    }

    private ServiceProvider BuildProvider() => new ServiceCollection()
        .AddJobEngine(jobs => jobs
            .UsePostgreSqlJournal(_schema.ConnectionString, o => o.Schema = _schema.Name)
            .AddPlan("order-fulfillment", plan => plan.Expect("parcel.delivered", e => e.CorrelatedOn("orderId").Times(2))))
        .Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

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
