using JobManagement.Journal.Conformance.Features;
using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance;

/// <summary>
/// A creation request's id against what the journal already holds: without a lookup first, the journal's
/// creation rule decides, and the engine answers as the lookup did (the earlier job, or the field at fault).
/// </summary>
public abstract partial class EngineFeaturesConformanceTests
{
    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Create_NewRequestAndItsRetry_LookNoEventIdUp(bool withJobId)
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode node = NewNode();
        int lookups = 0;
        node.Journal.BeforeFindByEventId = _ =>
        {
            Interlocked.Increment(ref lookups);
            return Task.CompletedTask;
        };
        CreateJobRequest request = FeatureNode.Order("req-1", "o1", withJobId ? "order-1" : null);

        JobCreationResult created = await node.Engine.CreateJobAsync(request);
        JobCreationResult retried = await node.Engine.CreateJobAsync(request);

        lookups.Should().Be(0, "the journal's creation rule answers a request id seen before");
        created.IsDuplicate.Should().BeFalse();
        retried.IsDuplicate.Should().BeTrue();
        retried.JobId.Should().Be(created.JobId);
        await ShouldHoldOneCreationAsync(node, request.RequestId, created.JobId);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Create_RequestIdOfADomainEventFannedOut_ThrowsNamingRequestIdAndTheOldestEntry_AppendsNothing(bool withJobId)
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode node = NewNode();
        await node.Engine.CreateJobAsync(FeatureNode.Order("req-a", "o1"));
        await node.Engine.CreateJobAsync(FeatureNode.Order("req-b", "o1"));
        await node.Engine.IngestAsync(FeatureNode.Domain("shared", "payment.captured", "o1"));
        IReadOnlyList<JobEventLogEntry> holders = await node.Journal.FindByEventIdAsync(EventId.Parse("shared"));
        holders.Should().HaveCount(2, "the event reached both jobs");

        await ShouldRefuseRequestIdAsync(node, FeatureNode.Order("shared", "o2", withJobId ? "order-2" : null), $"RequestId 'shared' was already used by a payment.captured entry of stream '{holders[0].JobId}'");
    }

    [SkippableFact]
    public async Task Create_RequestIdOfAnExecutionFactElsewhere_ThrowsNamingRequestId_AppendsNothing()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode node = NewNode();
        JobCreationResult job = await node.Engine.CreateJobAsync(FeatureNode.Order("req-a", "o1") with { Start = false });
        await node.Engine.StartAsync(job.JobId, EventId.Parse("start-1"));

        await ShouldRefuseRequestIdAsync(node, FeatureNode.Order("start-1", "o2"), $"was already used by a {ExecutionEventTypes.Started} entry of stream '{job.JobId}'");
    }

    [SkippableFact]
    public async Task Create_CallerChosenIdOfAnotherRequestsJob_WithARequestIdThatCreatedAJob_IsThatJobAsADuplicate()
    {
        // Whichever the journal checks first (the stream's version, or the id elsewhere), the answer is the request's job.
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode node = NewNode();
        JobCreationResult first = await node.Engine.CreateJobAsync(FeatureNode.Order("req-a", "o1"));
        await node.Engine.CreateJobAsync(FeatureNode.Order("req-b", "o2", "order-b"));

        JobCreationResult again = await node.Engine.CreateJobAsync(FeatureNode.Order("req-a", "o1", "order-b"));

        again.IsDuplicate.Should().BeTrue();
        again.JobId.Should().Be(first.JobId);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Create_CallerChosenIdOfAJobHoldingTheRequestIdAsADomainEvent_ThrowsNamingRequestId_AppendsNothing(bool start)
    {
        // The stream holds the id, so the journal sees a duplicate (or refuses on the version), never a conflict elsewhere.
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode node = NewNode();
        await node.Engine.CreateJobAsync(FeatureNode.Order("req-b", "o1", "order-b"));
        await node.Engine.IngestAsync(FeatureNode.Domain("shared", "payment.captured", "o1"));

        await ShouldRefuseRequestIdAsync(node, FeatureNode.Order("shared", "o1", "order-b") with { Start = start }, "was already used by a payment.captured entry of stream 'order-b'");
    }

    /// <summary>Creating <paramref name="request"/> throws naming its RequestId, with <paramref name="message"/>, and appends nothing.</summary>
    private static async Task ShouldRefuseRequestIdAsync(FeatureNode node, CreateJobRequest request, string message)
    {
        int count = (await node.ReadEverythingAsync()).Count;

        Func<Task> act = async () => await node.Engine.CreateJobAsync(request);

        InvalidJobRequestException thrown = (await act.Should().ThrowAsync<InvalidJobRequestException>()).Which;
        thrown.Field.Should().Be(nameof(CreateJobRequest.RequestId));
        thrown.Message.Should().Contain(message);
        (await node.ReadEverythingAsync()).Should().HaveCount(count);
    }
}
