using JobManagement.Journal.Conformance.Features;
using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance;

/// <summary>
/// Creation requests across nodes: a request without a caller-chosen job id creates one job, also when two
/// nodes both decide to create it and append their <c>job.created</c> (with different generated ids) at once.
/// (A batch's jobs need no such test: their ids are fixed in the batch's commit entry, so the stream arbitrates.)
/// </summary>
public abstract partial class EngineFeaturesConformanceTests
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Create_OtherNodeCreatesTheRequestJustBeforeThisNodesAppend_TheJournalArbitrates_OneJob()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();
        CreateJobRequest request = FeatureNode.Order("req-1", "o1");
        JobCreationResult? winner = null;
        b.Journal.BeforeAppend = async (_, events) =>
        {
            if (winner is null && events[0].EventId == request.RequestId)
            {
                // Node B is about to append its job.created; node A creates the job first.
                winner = await a.Engine.CreateJobAsync(request);
            }
        };

        JobCreationResult loser = await b.Engine.CreateJobAsync(request);

        winner.Should().NotBeNull("the race was forced");
        winner!.IsDuplicate.Should().BeFalse();
        loser.IsDuplicate.Should().BeTrue("node B's call is a retry of a request node A served");
        loser.JobId.Should().Be(winner.JobId);
        loser.State.Should().Be(winner.State);
        await ShouldHoldOneCreationAsync(a, request.RequestId, winner.JobId);
        await b.CheckStreamAsync(winner.JobId);
    }

    [SkippableFact]
    public async Task Create_ManyCallsOfOneRequestOnTwoNodesAtOnce_EveryCallGetsTheOneJob()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        const int callsPerNode = 8;
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();
        CreateJobRequest request = FeatureNode.Order("req-1", "o1");
        MeetBeforeFirstCreation(request.RequestId, a, b);

        JobCreationResult[] results = await Task.WhenAll(
            Enumerable.Range(0, callsPerNode * 2).Select(i => Task.Run(async () =>
                await (i % 2 == 0 ? a : b).Engine.CreateJobAsync(request)))).WaitAsync(SafetyTimeout);

        JobId job = results[0].JobId;
        results.Should().OnlyContain(r => r.JobId == job, "one request creates one job");
        results.Should().ContainSingle(static r => !r.IsDuplicate);
        await ShouldHoldOneCreationAsync(a, request.RequestId, job);
        (await a.ReadEverythingAsync()).Should().HaveCount(2, "job.created and job.started, once");
        (await b.CheckStreamAsync(job)).Should().Be((await a.CheckStreamAsync(job)));
    }

    /// <summary>
    /// Holds each node's first append of a <c>job.created</c> with <paramref name="eventId"/> until the other node's
    /// has arrived too, so both have decided to create before either appends. A node serialises the calls of one
    /// request, so the first two such appends are one per node.
    /// </summary>
    private static void MeetBeforeFirstCreation(EventId eventId, FeatureNode first, FeatureNode second)
    {
        var bothLooked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int looked = 0;
        Func<JobId, IReadOnlyList<NewJobEvent>, Task> meet = async (_, events) =>
        {
            if (events[0].EventId == eventId)
            {
                int arrived = Interlocked.Increment(ref looked);
                if (arrived == 2)
                {
                    bothLooked.SetResult();
                }

                if (arrived <= 2)
                {
                    await bothLooked.Task.WaitAsync(SafetyTimeout);
                }
            }
        };
        first.Journal.BeforeAppend = meet;
        second.Journal.BeforeAppend = meet;
    }

    private static async Task ShouldHoldOneCreationAsync(FeatureNode node, EventId requestId, JobId job)
    {
        (await node.Journal.FindByEventIdAsync(requestId)).Should().ContainSingle().Which.JobId.Should().Be(job);
        (await node.ReadEverythingAsync()).Where(static e => e.EventType == ExecutionEventTypes.Created).Select(static e => e.JobId).Should().Equal(job);
    }
}
