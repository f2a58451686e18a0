using JobManagement;
using Microsoft.Extensions.DependencyInjection;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Engine;

public sealed class JobEngineLifecycleTests
{
    [Fact]
    public async Task IngestAsync_AllExpectationsSatisfied_JobSucceeds()
    {
        await using ServiceProvider provider = new ServiceCollection()
            .AddJobEngine(jobs => jobs.AddPlan("order-fulfillment", plan => plan
                .Expect("payment.captured", e => e.CorrelatedOn("orderId"))))
            .Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        JobEngine sut = provider.GetRequiredService<JobEngine>();
        JobCreationResult created = await sut.CreateJobAsync(new CreateJobRequest
        {
            JobType = JobType.Parse("order-fulfillment"),
            RequestId = EventId.Parse("req-1"),
            Correlation = EventAttributes.Of(("orderId", "42")),
        });

        IngestResult result = await sut.IngestAsync(new IncomingEvent
        {
            EventId = EventId.Parse("evt-1"),
            Type = EventTypeId.Parse("payment.captured"),
            OccurredAt = DateTimeOffset.UnixEpoch,
            Attributes = EventAttributes.Of(("orderId", "42")),
        });

        result.Outcomes.Should().ContainSingle().Which.Status.Should().Be(IngestStatus.Applied);
        JobState? state = await sut.GetStateAsync(created.JobId);
        state!.Status.Should().Be(JobStatus.Succeeded);
    }
}
