using JobManagement.Journal.Conformance.Features;
using JobManagement.Journal.Conformance.Workers;
using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance;

/// <summary>
/// What creation requests, dedupe keys, batches and parent/child jobs owe on every journal, and across two
/// engines ("nodes") sharing one journal: a request creates one job even when both nodes miss it in their
/// lookup and create at once; a key finds its live job (also after a restart) and two nodes racing with one key
/// make one job (the key's claim decides), also when the claiming node died before creating it; a batch commits all or nothing, is idempotent
/// on its request id from any node, and a new engine completes a batch whose submitter died after the
/// commit point; a parent's stream records its children's creation and end exactly once, also when the
/// notification was lost and another engine repairs it. Every stream touched has contiguous sequences and
/// projects to what the engine reports. Each journal's test project subclasses it in a few lines; the
/// nodes of one test share the storage chosen by <see cref="UseJournal"/> and one manual clock. Split by
/// theme into partial files (creation requests are in <c>EngineFeaturesConformanceTests.Creation.cs</c>).
/// </summary>
public abstract partial class EngineFeaturesConformanceTests
{
    /// <summary>Gets why the journal cannot be tested here (for example: no server locally), or null.</summary>
    protected virtual string? UnavailableReason => null;

    /// <summary>Gets the clock every node of a test shares.</summary>
    protected ManualTimeProvider Clock { get; } = new();

    /// <summary>Chooses the journal under test, over storage shared by every node of one test (and fresh for each test).</summary>
    /// <param name="jobs">The engine builder of one node.</param>
    protected abstract void UseJournal(JobEngineBuilder jobs);

    // ---- Dedupe ----

    [SkippableFact]
    public async Task Dedupe_ActiveJob_IsReturnedOnBothNodes_ATerminalOneIsNot()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();
        JobCreationResult first = await a.Engine.CreateJobAsync(FeatureNode.Order("req-1", "d1", dedupeKey: "nightly"));
        int count = (await a.ReadEverythingAsync()).Count;

        JobCreationResult sameNode = await a.Engine.CreateJobAsync(FeatureNode.Order("req-2", "d2", dedupeKey: "nightly"));
        JobCreationResult otherNode = await b.Engine.CreateJobAsync(FeatureNode.Order("req-3", "d3", dedupeKey: "nightly"));

        first.IsDeduplicated.Should().BeFalse();
        foreach (JobCreationResult hit in new[] { sameNode, otherNode })
        {
            hit.IsDeduplicated.Should().BeTrue();
            hit.IsDuplicate.Should().BeFalse("a dedupe hit is not a retry of the same request");
            hit.JobId.Should().Be(first.JobId);
            hit.State.DedupeKey.Should().Be("nightly");
            hit.State.Correlation["orderId"].Should().Be("d1", "the existing job is returned as it is");
        }

        (await a.ReadEverythingAsync()).Should().HaveCount(count, "a dedupe hit appends nothing");

        await b.Engine.AbortAsync(first.JobId, "done with it");
        JobCreationResult after = await a.Engine.CreateJobAsync(FeatureNode.Order("req-4", "d4", dedupeKey: "nightly"));

        after.IsDeduplicated.Should().BeFalse("the key's job is terminal");
        after.JobId.Should().NotBe(first.JobId);
        after.State.Status.Should().Be(JobStatus.Running);
        after.State.DedupeKey.Should().Be("nightly");
        (await a.CheckStreamAsync(first.JobId)).Status.Should().Be(JobStatus.Aborted);
        (await b.CheckStreamAsync(first.JobId)).Status.Should().Be(JobStatus.Aborted);
        await b.CheckStreamAsync(after.JobId);
    }

    [SkippableFact]
    public async Task Dedupe_TerminalJob_IsReturnedWithinTheWindowOnly_OnTheManualTimeProvider()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        Action<JobEngineOptions> window = static o => o.DedupeTerminalWindow = TimeSpan.FromMinutes(5);
        await using FeatureNode a = NewNode(window);
        await using FeatureNode b = NewNode(window);
        JobCreationResult first = await a.Engine.CreateJobAsync(FeatureNode.Order("req-1", "w1", dedupeKey: "k"));
        await a.Engine.AbortAsync(first.JobId, "stop");

        Clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        JobCreationResult within = await b.Engine.CreateJobAsync(FeatureNode.Order("req-2", "w2", dedupeKey: "k"));
        Clock.Advance(TimeSpan.FromSeconds(1));
        JobCreationResult after = await b.Engine.CreateJobAsync(FeatureNode.Order("req-3", "w3", dedupeKey: "k"));

        within.IsDeduplicated.Should().BeTrue("the job ended less than the window ago");
        within.JobId.Should().Be(first.JobId);
        within.State.Status.Should().Be(JobStatus.Aborted);
        after.IsDeduplicated.Should().BeFalse("the window has passed");
        after.JobId.Should().NotBe(first.JobId);
        await a.CheckStreamAsync(first.JobId);
        await a.CheckStreamAsync(after.JobId);
    }

    [SkippableFact]
    public async Task Dedupe_AfterARestart_ANewEngineFindsTheJobByItsKey()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        JobCreationResult first;
        await using (FeatureNode before = NewNode())
        {
            first = await before.Engine.CreateJobAsync(FeatureNode.Order("req-1", "r1", dedupeKey: "report-2026-01-01"));
        }

        await using FeatureNode after = NewNode();
        int count = (await after.ReadEverythingAsync()).Count;

        JobCreationResult again = await after.Engine.CreateJobAsync(FeatureNode.Order("req-2", "r2", dedupeKey: "report-2026-01-01"));

        again.IsDeduplicated.Should().BeTrue("the key is indexed in the journal, not only in the first engine's memory");
        again.JobId.Should().Be(first.JobId);
        again.State.Should().Be(first.State);
        (await after.ReadEverythingAsync()).Should().HaveCount(count);
        await after.CheckStreamAsync(first.JobId);
    }

    [SkippableFact]
    public async Task Dedupe_TwoNodesRaceWithTheSameKey_TheKeysClaimDecides_OneJob()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();
        JobCreationResult? winner = null;
        b.Journal.BeforeAppend = async (_, events) =>
        {
            if (winner is null && events[0].EventType == ExecutionEventTypes.DedupeClaimed)
            {
                // Node A claims the key and creates its job after node B found the key free and before B's claim:
                // two requests, and no job id chosen by the caller.
                winner = await a.Engine.CreateJobAsync(FeatureNode.Order("req-a", "x1", dedupeKey: "k"));
            }
        };

        JobCreationResult loser = await b.Engine.CreateJobAsync(FeatureNode.Order("req-b", "x2", dedupeKey: "k"));

        winner.Should().NotBeNull("the race was forced");
        winner!.IsDeduplicated.Should().BeFalse();
        loser.IsDeduplicated.Should().BeTrue("node A's claim came first: node B's failed on the key stream's version");
        loser.IsDuplicate.Should().BeFalse();
        loser.JobId.Should().Be(winner.JobId);
        loser.State.Should().Be(winner.State);
        List<JobEventLogEntry> everything = await a.ReadEverythingAsync();
        everything.Count(static e => e.EventType == ExecutionEventTypes.Created).Should().Be(1);
        everything.Should().ContainSingle(static e => e.EventType == ExecutionEventTypes.DedupeClaimed);
        (await a.ReadStreamAsync(loser.JobId))[0].EventId.Should().Be(EventId.Parse("req-a"));
        (await b.Journal.FindJobsAsync(new JobLookup(FeaturePlans.Order.JobType, ReservedAttributes.DedupeKey, "k"))).Should().Equal(loser.JobId);
        await a.CheckStreamAsync(loser.JobId);
        await b.CheckStreamAsync(loser.JobId);
    }

    [SkippableFact]
    public async Task Dedupe_ClaimantDiedBeforeCreating_AnotherNodeCompletesTheClaimedJob()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();
        a.Journal.BeforeAppend = (_, events) => events[0].EventType == ExecutionEventTypes.Created
            ? throw new IOException("node A died after its claim")
            : Task.CompletedTask;
        Func<Task> claimOnly = async () => await a.Engine.CreateJobAsync(FeatureNode.Order("req-a", "y1", dedupeKey: "k"));
        await claimOnly.Should().ThrowAsync<IOException>();

        JobCreationResult onB = await b.Engine.CreateJobAsync(FeatureNode.Order("req-b", "y2", dedupeKey: "k"));

        onB.IsDeduplicated.Should().BeTrue("the claim names a job: node B creates it from the claim and returns it");
        onB.State.Correlation["orderId"].Should().Be("y1", "the claiming request's job");
        (await b.ReadStreamAsync(onB.JobId))[0].EventId.Should().Be(EventId.Parse("req-a"));
        a.Journal.BeforeAppend = null;
        JobCreationResult retry = await a.Engine.CreateJobAsync(FeatureNode.Order("req-a", "y1", dedupeKey: "k"));
        retry.JobId.Should().Be(onB.JobId);
        retry.IsDuplicate.Should().BeTrue();
        (await a.ReadEverythingAsync()).Count(static e => e.EventType == ExecutionEventTypes.Created).Should().Be(1);
        await a.CheckStreamAsync(onB.JobId);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Dedupe_TwoNodesCreateConcurrently_OneJobPerKey(bool keyDerivedJobIds)
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();
        const int keys = 8;

        JobCreationResult[][] results = await Task.WhenAll(Enumerable.Range(0, keys).Select(async i =>
        {
            string? jobId = keyDerivedJobIds ? $"key-{i}" : null;
            return await Task.WhenAll(
                Task.Run(async () => await a.Engine.CreateJobAsync(FeatureNode.Order($"req-a-{i}", $"c{i}", jobId, dedupeKey: $"key-{i}"))),
                Task.Run(async () => await b.Engine.CreateJobAsync(FeatureNode.Order($"req-b-{i}", $"c{i}", jobId, dedupeKey: $"key-{i}"))));
        }));

        for (int i = 0; i < keys; i++)
        {
            results[i][0].JobId.Should().Be(results[i][1].JobId, $"key-{i}: both nodes return the key's one job");
            results[i].Count(static r => !r.IsDeduplicated).Should().Be(1, $"key-{i}: exactly one node created it");
            await a.CheckStreamAsync(results[i][0].JobId);
        }

        (await a.ReadEverythingAsync()).Count(static e => e.EventType == ExecutionEventTypes.Created).Should().Be(keys);
    }

    // ---- Batches ----

    [SkippableFact]
    public async Task Batch_OneInvalidRequest_AppendsNothingAnywhere_AndTheRequestIdStaysFree()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();
        JobId existing = (await a.Engine.CreateJobAsync(FeatureNode.Order("req-0", "i0", jobId: "existing"))).JobId;
        int count = (await a.ReadEverythingAsync()).Count;
        List<CreateJobRequest> invalidCorrelation = Requests("i", 3);
        invalidCorrelation[2] = invalidCorrelation[2] with { Correlation = EventAttributes.Empty };
        List<CreateJobRequest> takenJobId = Requests("i", 3);
        takenJobId[1] = takenJobId[1] with { JobId = existing };

        Func<Task> onA = async () => await a.Engine.SubmitBatchAsync(invalidCorrelation, EventId.Parse("batch-req-1"));
        Func<Task> onB = async () => await b.Engine.SubmitBatchAsync(takenJobId, EventId.Parse("batch-req-1"));

        (await onA.Should().ThrowAsync<InvalidJobRequestException>()).Which.ParamName.Should().Be("jobs[2].Correlation");
        (await onB.Should().ThrowAsync<InvalidJobRequestException>()).Which.ParamName.Should().Be("jobs[1].JobId");
        List<JobEventLogEntry> all = await b.ReadEverythingAsync();
        all.Should().HaveCount(count, "nothing is appended anywhere");
        all.Should().NotContain(static e => e.JobId.IsBatch);

        BatchState valid = await b.Engine.SubmitBatchAsync(Requests("i", 3), EventId.Parse("batch-req-1"));

        valid.Total.Should().Be(3, "the failed submissions committed nothing under the request id");
        valid.Jobs.Select(static j => j.Correlation["orderId"]).Should().Equal("i-0", "i-1", "i-2");
        await CheckBatchStreamsAsync(a, valid);
    }

    [SkippableFact]
    public async Task Batch_RetryByRequestId_FromTheOtherNode_ReturnsTheSameBatch_AndAppendsNothing()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();
        BatchState first = await a.Engine.SubmitBatchAsync(Requests("r", 2), EventId.Parse("batch-req-1"));
        int count = (await a.ReadEverythingAsync()).Count;

        BatchState retried = await b.Engine.SubmitBatchAsync(Requests("other", 5), EventId.Parse("batch-req-1"));
        BatchState? read = await b.Engine.GetBatchAsync(first.BatchId);

        first.Total.Should().Be(2);
        first.Jobs.Should().OnlyContain(j => j.BatchId == first.BatchId && j.Status == JobStatus.Running);
        retried.BatchId.Should().Be(first.BatchId);
        retried.JobIds.Should().Equal(first.JobIds, "the first submission's requests win");
        retried.Should().Be(first);
        read.Should().Be(first);
        (await a.ReadEverythingAsync()).Should().HaveCount(count);
        await CheckBatchStreamsAsync(b, first);
    }

    [SkippableFact]
    public async Task Batch_SubmittedConcurrentlyOnTwoNodes_OneCommitPoint_EachJobCreatedOnce()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();

        BatchState[] both = await Task.WhenAll(
            Task.Run(async () => await a.Engine.SubmitBatchAsync(Requests("ca", 4), EventId.Parse("batch-req-c"))),
            Task.Run(async () => await b.Engine.SubmitBatchAsync(Requests("cb", 4), EventId.Parse("batch-req-c"))));

        both[1].Should().Be(both[0], "both nodes complete the one committed batch");
        List<JobEventLogEntry> all = await a.ReadEverythingAsync();
        all.Count(static e => e.EventType == ExecutionEventTypes.BatchSubmitted).Should().Be(1);
        all.Count(static e => e.EventType == ExecutionEventTypes.Created).Should().Be(4);
        both[0].Jobs.Select(static j => j.Correlation["orderId"]).Distinct().Should().HaveCount(4);
        await CheckBatchStreamsAsync(a, both[0]);
    }

    [SkippableFact]
    public async Task Batch_SubmitterDiesAfterTheCommitPoint_NewEnginesGetBatchCreateTheJobsOnce()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using (FeatureNode dying = NewNode())
        {
            dying.Journal.BeforeAppend = static (jobId, _) => jobId.IsBatch ? Task.CompletedTask : throw new InvalidOperationException("the process died");
            Func<Task> submit = async () => await dying.Engine.SubmitBatchAsync(Requests("m", 3), EventId.Parse("batch-req-1"));
            await submit.Should().ThrowAsync<InvalidOperationException>();
        }

        await using FeatureNode c = NewNode();
        await using FeatureNode d = NewNode();
        List<JobEventLogEntry> committed = await c.ReadEverythingAsync();
        committed.Should().ContainSingle("the commit point went through, nothing after it").Which.EventType.Should().Be(ExecutionEventTypes.BatchSubmitted);
        var batchId = BatchId.Parse(committed[0].Attributes[ReservedAttributes.Batch]);

        BatchState?[] completed = await Task.WhenAll(
            Task.Run(async () => await c.Engine.GetBatchAsync(batchId)),
            Task.Run(async () => await d.Engine.GetBatchAsync(batchId)));
        int count = (await c.ReadEverythingAsync()).Count;
        BatchState? again = await d.Engine.GetBatchAsync(batchId);

        BatchState batch = completed[0]!;
        batch.BatchId.Should().Be(batchId);
        batch.Total.Should().Be(3);
        batch.Status.Should().Be(BatchStatus.Running);
        batch.Jobs.Should().OnlyContain(j => j.Status == JobStatus.Running && j.BatchId == batchId);
        batch.Jobs.Select(static j => j.Correlation["orderId"]).Should().Equal("m-0", "m-1", "m-2");
        completed[1].Should().Be(batch);
        count.Should().Be(1 + (3 * 2), "one batch entry, then job.created and job.started per job, however many engines complete it");
        again.Should().Be(batch);
        (await c.ReadEverythingAsync()).Should().HaveCount(count, "completing again creates nothing");
        await CheckBatchStreamsAsync(d, batch);
    }

    [SkippableFact]
    public async Task Batch_StatusFollowsItsJobs_AcrossNodes_RunningFailedSucceeded()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();
        BatchState mixed = await a.Engine.SubmitBatchAsync(Requests("s", 2), EventId.Parse("batch-req-1"));
        BatchState happy = await a.Engine.SubmitBatchAsync(Requests("h", 2), EventId.Parse("batch-req-2"));

        await b.Engine.AbortAsync(mixed.JobIds[0], "not needed");
        BatchState oneAborted = (await a.Engine.GetBatchAsync(mixed.BatchId))!;
        await b.Engine.IngestAsync(FeatureNode.Domain("pay-s-1", "payment.captured", "s-1"));
        BatchState allEnded = (await a.Engine.GetBatchAsync(mixed.BatchId))!;
        await b.Engine.IngestAsync(FeatureNode.Domain("pay-h-0", "payment.captured", "h-0"));
        await b.Engine.IngestAsync(FeatureNode.Domain("pay-h-1", "payment.captured", "h-1"));
        BatchState allSucceeded = (await a.Engine.GetBatchAsync(happy.BatchId))!;

        mixed.Status.Should().Be(BatchStatus.Running);
        oneAborted.Status.Should().Be(BatchStatus.Running, "one job still runs");
        (oneAborted.Counts[JobStatus.Aborted], oneAborted.Counts[JobStatus.Running]).Should().Be((1, 1));
        allEnded.Status.Should().Be(BatchStatus.Failed, "every job ended and one was aborted");
        (allEnded.Counts[JobStatus.Aborted], allEnded.Counts[JobStatus.Succeeded]).Should().Be((1, 1));
        allSucceeded.Status.Should().Be(BatchStatus.Succeeded);
        allSucceeded.Counts[JobStatus.Succeeded].Should().Be(2);
        (await b.Engine.GetBatchAsync(mixed.BatchId)).Should().Be(allEnded, "every node derives the same batch state");
        await CheckBatchStreamsAsync(b, allEnded);
        await CheckBatchStreamsAsync(a, allSucceeded);
    }

    // ---- Parent/child ----

    [SkippableFact]
    public async Task Child_CreatedAndCompletedFactsInTheParentStream_WaitingParentSucceedsWhenTheChildDoes()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();
        JobId parent = (await a.Engine.CreateJobAsync(FeatureNode.Parent("req-p", "p1", "parent-1"))).JobId;
        JobCreationResult child = await a.Engine.CreateJobAsync(FeatureNode.Order("req-c", "c1", jobId: "child-1", parent: parent));

        JobEventLogEntry created = (await b.ReadStreamAsync(parent))[^1];
        await b.Engine.IngestAsync(FeatureNode.Domain("ready-1", "report.ready", "p1"));
        JobState whileChildRuns = (await a.Engine.GetStateAsync(parent))!;
        await b.Engine.IngestAsync(FeatureNode.Domain("pay-1", "payment.captured", "c1"));

        child.State.ParentJobId.Should().Be(parent);
        created.EventType.Should().Be(ExecutionEventTypes.ChildCreated);
        created.Lane.Should().Be(EventLane.Execution);
        created.Attributes[ReservedAttributes.Child].Should().Be("child-1");
        whileChildRuns.Status.Should().Be(JobStatus.Running, "the plan waits for its child");
        whileChildRuns.Children.Should().Equal(new JobChild(child.JobId, null));
        JobEventLogEntry completed = (await a.ReadStreamAsync(parent))[^1];
        completed.EventType.Should().Be(ExecutionEventTypes.ChildCompleted);
        completed.Attributes[ReservedAttributes.Child].Should().Be("child-1");
        completed.Attributes[ReservedAttributes.ChildStatus].Should().Be("Succeeded");
        JobState done = await a.CheckStreamAsync(parent);
        done.Status.Should().Be(JobStatus.Succeeded);
        done.Children.Should().Equal(new JobChild(child.JobId, JobStatus.Succeeded));
        done.Transitions[^1].EventType.Should().Be(ExecutionEventTypes.ChildCompleted);
        (await b.CheckStreamAsync(parent)).Should().Be(done);
        (await b.CheckStreamAsync(child.JobId)).Status.Should().Be(JobStatus.Succeeded);
        (await CountChildCompletedAsync(a, parent, child.JobId)).Should().Be(1);
    }

    [SkippableFact]
    public async Task Child_FailsOrIsAborted_WaitingParentFailsNamingTheChild()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();
        JobId failedParent = (await a.Engine.CreateJobAsync(FeatureNode.Parent("req-p1", "fp1", "parent-f"))).JobId;
        JobId failedChild = (await a.Engine.CreateJobAsync(FeatureNode.Order("req-c1", "fc1", jobId: "child-f", parent: failedParent))).JobId;
        JobId abortedParent = (await a.Engine.CreateJobAsync(FeatureNode.Parent("req-p2", "fp2", "parent-a"))).JobId;
        JobId abortedChild = (await a.Engine.CreateJobAsync(FeatureNode.Order("req-c2", "fc2", jobId: "child-a", parent: abortedParent))).JobId;

        await b.Engine.IngestAsync(FeatureNode.Domain("declined-1", "payment.declined", "fc1"));
        await b.Engine.AbortAsync(abortedChild, "not needed");

        JobState failed = await a.CheckStreamAsync(failedParent);
        failed.Status.Should().Be(JobStatus.Failed);
        failed.Failure!.Reason.Should().Contain("child-f").And.Contain("Failed");
        failed.Failure.EventType.Should().Be(ExecutionEventTypes.ChildCompleted);
        failed.Children.Should().Equal(new JobChild(failedChild, JobStatus.Failed));
        JobState aborted = await a.CheckStreamAsync(abortedParent);
        aborted.Status.Should().Be(JobStatus.Failed, "an aborted child fails a parent that waits for it");
        aborted.Failure!.Reason.Should().Contain("child-a").And.Contain("Aborted");
        aborted.Children.Should().Equal(new JobChild(abortedChild, JobStatus.Aborted));
        await b.CheckStreamAsync(failedChild);
        await b.CheckStreamAsync(abortedChild);
    }

    [SkippableFact]
    public async Task Child_ParentNotificationLost_ANewEnginesSyncChildrenAppendsItOnce_RedeliveryNeverDuplicates()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        JobId parent, told, lost;
        await using (FeatureNode dying = NewNode())
        {
            parent = (await dying.Engine.CreateJobAsync(FeatureNode.Parent("req-p", "lp", "parent-l"))).JobId;
            told = (await dying.Engine.CreateJobAsync(FeatureNode.Order("req-c1", "lc1", jobId: "child-told", parent: parent))).JobId;
            lost = (await dying.Engine.CreateJobAsync(FeatureNode.Order("req-c2", "lc2", jobId: "child-lost", parent: parent))).JobId;
            await dying.Engine.IngestAsync(FeatureNode.Domain("ready-1", "report.ready", "lp"));
            await dying.Engine.IngestAsync(FeatureNode.Domain("pay-1", "payment.captured", "lc1"));
            dying.Journal.BeforeAppend = (jobId, events) => jobId == parent && events.Any(static e => e.EventType == ExecutionEventTypes.ChildCompleted)
                ? throw new InvalidOperationException("the process died before telling the parent")
                : Task.CompletedTask;

            IngestResult ended = await dying.Engine.IngestAsync(FeatureNode.Domain("pay-2", "payment.captured", "lc2"));

            ended.Outcomes.Should().ContainSingle().Which.JobStatus.Should().Be(JobStatus.Succeeded, "the child's own end was recorded");
        }

        await using FeatureNode b = NewNode();
        await using FeatureNode c = NewNode();
        JobState beforeRepair = (await b.Engine.GetStateAsync(parent))!;
        beforeRepair.Status.Should().Be(JobStatus.Running, "the parent was never told its second child ended");
        beforeRepair.Children.Should().Equal(new JobChild(told, JobStatus.Succeeded), new JobChild(lost, null));
        (await CountChildCompletedAsync(b, parent, lost)).Should().Be(0);

        JobState? repaired = await FeatureInternals.SyncChildrenAsync(b.Engine, parent);

        repaired!.Status.Should().Be(JobStatus.Succeeded);
        repaired.Children.Should().Equal(new JobChild(told, JobStatus.Succeeded), new JobChild(lost, JobStatus.Succeeded));
        int length = (await b.ReadStreamAsync(parent)).Count;

        // Redelivery, from every node: repairs again (concurrently), the child's end again, a late abort of the child.
        await Task.WhenAll(
            Task.Run(async () => await FeatureInternals.SyncChildrenAsync(b.Engine, parent)),
            Task.Run(async () => await FeatureInternals.SyncChildrenAsync(c.Engine, parent)));
        (await c.Engine.IngestAsync(FeatureNode.Domain("pay-2", "payment.captured", "lc2"))).IsDuplicate.Should().BeTrue();
        await c.Engine.AbortAsync(lost, "too late");
        await FeatureInternals.SyncChildrenAsync(c.Engine, parent);

        (await CountChildCompletedAsync(c, parent, told)).Should().Be(1);
        (await CountChildCompletedAsync(c, parent, lost)).Should().Be(1);
        (await c.ReadStreamAsync(parent)).Should().HaveCount(length, "no redelivery appends to the parent");
        (await c.CheckStreamAsync(parent)).Should().Be(repaired);
        (await b.CheckStreamAsync(parent)).Should().Be(repaired);
        (await c.CheckStreamAsync(lost)).Status.Should().Be(JobStatus.Succeeded, "the late abort is record-only");
        await b.CheckStreamAsync(told);
    }

    [SkippableFact]
    public async Task Child_ParentNotificationLost_SyncChildrenOnTheNodeThatLostIt_AppendsItOnce()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using FeatureNode a = NewNode();
        await using FeatureNode b = NewNode();
        JobId parent = (await a.Engine.CreateJobAsync(FeatureNode.Parent("req-p", "sp", "parent-s"))).JobId;
        JobId child = (await a.Engine.CreateJobAsync(FeatureNode.Order("req-c", "sc", jobId: "child-s", parent: parent))).JobId;
        a.Journal.BeforeAppend = (jobId, events) => jobId == parent && events.Any(static e => e.EventType == ExecutionEventTypes.ChildCompleted)
            ? throw new InvalidOperationException("the parent's stream cannot be written just now")
            : Task.CompletedTask;
        await a.Engine.AbortAsync(child, "stop");
        a.Journal.BeforeAppend = null;
        (await CountChildCompletedAsync(a, parent, child)).Should().Be(0, "the notification was lost");

        // The node that lost it knows the child ended (its own cache): only the repair's own look at the children tells the parent.
        JobState? repaired = await FeatureInternals.SyncChildrenAsync(a.Engine, parent);
        await FeatureInternals.SyncChildrenAsync(b.Engine, parent);
        await FeatureInternals.SyncChildrenAsync(a.Engine, parent);

        repaired!.Status.Should().Be(JobStatus.Failed, "the parent waits for a child that was aborted");
        repaired.Children.Should().Equal(new JobChild(child, JobStatus.Aborted));
        (await CountChildCompletedAsync(b, parent, child)).Should().Be(1);
        (await b.CheckStreamAsync(parent)).Should().Be(repaired);
        await a.CheckStreamAsync(child);
    }

    [SkippableFact]
    public async Task Child_ANodeThatOnlyReadsEndedChildren_QueuesNoParentWorkForItsNextUnrelatedCall()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        const int families = 20;
        await using FeatureNode a = NewNode();
        await using FeatureNode reader = NewNode();
        HashSet<JobId> parents = [];
        List<JobId> children = [];
        for (int i = 0; i < families; i++)
        {
            JobId parent = (await a.Engine.CreateJobAsync(FeatureNode.Order($"req-p{i}", $"qp{i}", jobId: $"parent-q{i}"))).JobId;
            JobId child = (await a.Engine.CreateJobAsync(FeatureNode.Order($"req-c{i}", $"qc{i}", jobId: $"child-q{i}", parent: parent))).JobId;
            await a.Engine.AbortAsync(child, "done");
            parents.Add(parent);
            children.Add(child);
        }

        foreach (JobId child in children)
        {
            (await reader.Engine.GetStateAsync(child))!.Status.Should().Be(JobStatus.Aborted); // a dashboard's reads
        }

        int parentReads = 0;
        reader.Journal.OnReadStream = id => Interlocked.Add(ref parentReads, parents.Contains(id) ? 1 : 0);
        await reader.Engine.CreateJobAsync(FeatureNode.Order("req-x", "qx"));

        (await CountChildCompletedAsync(a, JobId.Parse("parent-q0"), children[0])).Should().Be(1, "node A told every parent");
        parentReads.Should().Be(0, "every parent already records its child's end: a read-only node has nothing to tell, and an unrelated create must not pay for the reads before it");
    }

    private static async Task<int> CountChildCompletedAsync(FeatureNode node, JobId parent, JobId child) =>
        (await node.ReadStreamAsync(parent)).Count(e => e.EventType == ExecutionEventTypes.ChildCompleted && e.Attributes[ReservedAttributes.Child] == child.Value);

    /// <summary>Checks the batch's own stream (one entry) and every job's stream.</summary>
    private static async Task CheckBatchStreamsAsync(FeatureNode node, BatchState batch)
    {
        List<JobEventLogEntry> commit = await node.ReadStreamAsync(JobId.Parse("$batch:" + batch.BatchId.Value));
        commit.Should().ContainSingle().Which.Should().Match<JobEventLogEntry>(e => e.Sequence == 1 && e.EventType == ExecutionEventTypes.BatchSubmitted);
        foreach (JobState job in batch.Jobs)
        {
            (await node.CheckStreamAsync(job.JobId)).Should().Be(job);
        }
    }

    private static List<CreateJobRequest> Requests(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => FeatureNode.Order($"{prefix}-item-{i}", $"{prefix}-{i}"))];

    private FeatureNode NewNode(Action<JobEngineOptions>? options = null) => new(Clock, UseJournal, options);
}
