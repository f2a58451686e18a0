using JobManagement.Journal.Conformance.Features;
using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Execution;

/// <summary>Batches: validated as a whole, committed by one entry, materialised idempotently, status derived from the jobs.</summary>
public sealed class JobEngineBatchTests
{
    [Fact]
    public async Task SubmitBatchAsync_ValidRequests_CommitsOneEntryThenCreatesEveryJobInTheBatch()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);

        BatchState batch = await sut.SubmitBatchAsync(Requests(3), EventId.Parse("batch-req-1"));

        batch.Total.Should().Be(3);
        batch.Status.Should().Be(BatchStatus.Running);
        batch.Counts[JobStatus.Running].Should().Be(3);
        batch.Jobs.Should().OnlyContain(j => j.BatchId == batch.BatchId);
        IReadOnlyList<JobEventLogEntry> all = await journal.ReadEverythingAsync();
        all[0].EventType.Should().Be(ExecutionEventTypes.BatchSubmitted);
        all[0].JobId.IsBatch.Should().BeTrue();
        all[0].Attributes[ReservedAttributes.Batch].Should().Be(batch.BatchId.Value);
        all.Where(e => e.JobId.IsBatch).Should().ContainSingle();
        all.Count(e => e.EventType == ExecutionEventTypes.Created).Should().Be(3);
        (await sut.GetStateAsync(batch.JobIds[2]))!.Correlation["orderId"].Should().Be("o-2");
    }

    public static TheoryData<int, string> InvalidAt => new()
    {
        { 0, "jobs[0].Correlation" },
        { 2, "jobs[2].Correlation" },
    };

    [Theory]
    [MemberData(nameof(InvalidAt))]
    public async Task SubmitBatchAsync_OneInvalidRequest_ThrowsNamingIndexAndFieldAndAppendsNothingAnywhere(int index, string path)
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        List<CreateJobRequest> jobs = Requests(3);
        jobs[index] = jobs[index] with { Correlation = EventAttributes.Empty };

        Func<Task> act = async () => await sut.SubmitBatchAsync(jobs, EventId.Parse("batch-req-1"));

        InvalidJobRequestException thrown = (await act.Should().ThrowAsync<InvalidJobRequestException>()).Which;
        thrown.ParamName.Should().Be(path);
        (await journal.ReadEverythingAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task SubmitBatchAsync_UnknownTypeDedupeKeyMissingParentOrRepeatedJobId_EachNamedAndNothingAppended()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        CreateJobRequest ok = Requests(1)[0];
        (CreateJobRequest Bad, string Path)[] cases =
        [
            (ok with { JobType = JobType.Parse("unknown") }, "jobs[1].JobType"),
            (ok with { DedupeKey = "k" }, "jobs[1].DedupeKey"),
            (ok with { ParentJobId = JobId.Parse("no-such-parent") }, "jobs[1].ParentJobId"),
            (ok with { JobId = JobId.Parse("twice") }, "jobs[1].JobId"),
        ];

        foreach ((CreateJobRequest bad, string path) in cases)
        {
            CreateJobRequest first = path == "jobs[1].JobId" ? ok with { JobId = JobId.Parse("twice") } : ok;
            Func<Task> act = async () => await sut.SubmitBatchAsync([first, bad], EventId.Parse("batch-req-1"));

            (await act.Should().ThrowAsync<InvalidJobRequestException>()).Which.ParamName.Should().Be(path);
        }

        (await journal.ReadEverythingAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task SubmitBatchAsync_SameRequestIdAgain_ReturnsSameBatchAndAppendsNothing()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        BatchState first = await sut.SubmitBatchAsync(Requests(2), EventId.Parse("batch-req-1"));
        long count = journal.Count;

        BatchState second = await sut.SubmitBatchAsync(Requests(5), EventId.Parse("batch-req-1"));

        second.BatchId.Should().Be(first.BatchId);
        second.JobIds.Should().Equal(first.JobIds, "the first submission's requests win");
        journal.Count.Should().Be(count);
    }

    [Fact]
    public async Task GetBatchAsync_ProcessDiedAfterCommitPoint_CreatesTheMissingJobsOnce()
    {
        var inner = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        var crashing = new HookJournal(inner)
        {
            BeforeAppend = (jobId, _) => jobId.IsBatch ? Task.CompletedTask : throw new InvalidOperationException("the process died"),
        };
        using (JobEngine dying = TestEngine.Create(crashing, time, TestPlans.Order))
        {
            Func<Task> submit = async () => await dying.SubmitBatchAsync(Requests(3), EventId.Parse("batch-req-1"));
            await submit.Should().ThrowAsync<InvalidOperationException>();
        }

        IReadOnlyList<JobEventLogEntry> committed = await inner.ReadEverythingAsync();
        committed.Should().ContainSingle().Which.EventType.Should().Be(ExecutionEventTypes.BatchSubmitted);
        BatchId batchId = BatchId.Parse(committed[0].Attributes[ReservedAttributes.Batch]);
        using JobEngine sut = TestEngine.Create(inner, time, TestPlans.Order);

        BatchState? batch = await sut.GetBatchAsync(batchId);
        long count = inner.Count;
        BatchState? again = await sut.GetBatchAsync(batchId);

        batch!.Total.Should().Be(3);
        batch.Jobs.Should().OnlyContain(j => j.Status == JobStatus.Running && j.BatchId == batchId);
        count.Should().Be(1 + (3 * 2), "one batch entry, then job.created and job.started per job");
        inner.Count.Should().Be(count, "materialising again creates nothing");
        again.Should().Be(batch);
    }

    [Fact]
    public async Task SubmitBatchAsync_RetryAfterCrash_CompletesTheSameBatch()
    {
        var inner = new InMemoryJobEventJournal();
        bool crash = true;
        var journal = new HookJournal(inner)
        {
            BeforeAppend = (jobId, _) => !crash || jobId.IsBatch ? Task.CompletedTask : throw new InvalidOperationException("the process died"),
        };
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        Func<Task> submit = async () => await sut.SubmitBatchAsync(Requests(2), EventId.Parse("batch-req-1"));
        await submit.Should().ThrowAsync<InvalidOperationException>();
        crash = false;

        BatchState batch = await sut.SubmitBatchAsync(Requests(2), EventId.Parse("batch-req-1"));

        batch.Total.Should().Be(2);
        (await inner.ReadEverythingAsync()).Count(e => e.EventType == ExecutionEventTypes.BatchSubmitted).Should().Be(1);
    }

    [Fact]
    public async Task GetBatchAsync_StatusFollowsTheJobs_RunningThenFailed()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);
        BatchState submitted = await sut.SubmitBatchAsync(Requests(2), EventId.Parse("batch-req-1"));

        await sut.AbortAsync(submitted.JobIds[0], "not needed");
        BatchState? oneAborted = await sut.GetBatchAsync(submitted.BatchId);
        await CompleteAsync(sut, "o-1");
        BatchState? allDone = await sut.GetBatchAsync(submitted.BatchId);

        oneAborted!.Status.Should().Be(BatchStatus.Running);
        oneAborted.Counts[JobStatus.Aborted].Should().Be(1);
        oneAborted.Counts[JobStatus.Running].Should().Be(1);
        allDone!.Status.Should().Be(BatchStatus.Failed);
        allDone.Counts[JobStatus.Succeeded].Should().Be(1);
    }

    [Fact]
    public async Task GetBatchAsync_EveryJobSucceeded_Succeeded()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);
        BatchState submitted = await sut.SubmitBatchAsync(Requests(2), EventId.Parse("batch-req-1"));

        await CompleteAsync(sut, "o-0");
        await CompleteAsync(sut, "o-1");
        BatchState? batch = await sut.GetBatchAsync(submitted.BatchId);

        batch!.Status.Should().Be(BatchStatus.Succeeded);
        batch.Counts[JobStatus.Succeeded].Should().Be(2);
    }

    [Fact]
    public async Task GetBatchAsync_UnknownBatch_ReturnsNull()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);

        (await sut.GetBatchAsync(BatchId.Parse("nope"))).Should().BeNull();
    }

    [Fact]
    public async Task SubmitBatchAsync_RequestIdUsedByAJob_ThrowsNamingRequestId()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        await sut.CreateJobAsync(TestEvents.Create("shared"));
        long count = journal.Count;

        Func<Task> act = async () => await sut.SubmitBatchAsync(Requests(1), EventId.Parse("shared"));

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("requestId");
        journal.Count.Should().Be(count);
    }

    [Fact]
    public async Task IngestAsync_EventAddressedToBatchStream_Rejected()
    {
        using JobEngine sut = TestEngine.Create(new InMemoryJobEventJournal(), new ManualTimeProvider(), TestPlans.Order);
        BatchState batch = await sut.SubmitBatchAsync(Requests(1), EventId.Parse("batch-req-1"));
        IncomingEvent toBatch = TestEvents.Domain("e-1", "payment.captured") with { JobId = JobId.Parse("$batch:" + batch.BatchId.Value) };

        IngestResult result = await sut.IngestAsync(toBatch);

        result.IsRejected.Should().BeTrue();
        result.Outcomes[0].Field.Should().Be(nameof(IncomingEvent.JobId));
    }

    private static List<CreateJobRequest> Requests(int count) =>
        [.. Enumerable.Range(0, count).Select(i => TestEvents.Create($"item-{i}", orderId: $"o-{i}"))];

    private static async Task CompleteAsync(JobEngine engine, string orderId)
    {
        await engine.IngestAsync(TestEvents.Domain($"pay-{orderId}", "payment.captured", orderId));
        await engine.IngestAsync(TestEvents.Domain($"parcel-{orderId}-1", "parcel.delivered", orderId));
        await engine.IngestAsync(TestEvents.Domain($"parcel-{orderId}-2", "parcel.delivered", orderId));
    }
}
