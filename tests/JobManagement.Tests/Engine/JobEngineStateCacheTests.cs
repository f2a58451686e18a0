using JobManagement.Journal.Conformance.Features;
using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Engine;

/// <summary>The engine's state cache is bounded and never truth: evicted states are rebuilt from the journal.</summary>
public sealed class JobEngineStateCacheTests
{
    [Fact]
    public async Task FullCache_EvictsAFinishedJobBeforeOneStillWaiting_EvenIfTheFinishedOneWasTouchedLater()
    {
        var journal = new HookJournal(new InMemoryJobEventJournal());
        int streamReads = 0;
        journal.OnReadStream = _ => streamReads++;
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), new JobEngineOptions { StateCacheCapacity = 2 }, TestPlans.Order);
        await sut.CreateJobAsync(TestEvents.Create("req-waiting", "order-waiting", orderId: "w"));
        await sut.CreateJobAsync(TestEvents.Create("req-done", "order-done", orderId: "d"));
        await sut.IngestAsync(TestEvents.Domain("done-1", "payment.declined", orderId: "d", jobId: "order-done"));
        (await sut.GetStateAsync(JobId.Parse("order-done")))!.Status.Should().Be(JobStatus.Failed);

        // A third job overfills the cache: plain LRU would evict the waiting job (touched longest ago).
        await sut.CreateJobAsync(TestEvents.Create("req-new", "order-new", orderId: "n"));
        int readsBefore = streamReads;
        await sut.IngestAsync(TestEvents.Domain("waiting-1", "payment.captured", orderId: "w", jobId: "order-waiting"));

        streamReads.Should().Be(readsBefore, "the waiting job stayed cached; the finished one went first");
        (await sut.GetStateAsync(JobId.Parse("order-waiting")))!.Expectations[0].Count.Should().Be(1);
        (await sut.GetStateAsync(JobId.Parse("order-done")))!.Status.Should().Be(JobStatus.Failed, "an evicted finished job is rebuilt from the journal");
    }

    [Fact]
    public async Task QueueLongerThanTheCache_KeepsTheOldestWaitingJobs_SoTheNextClaimsReadNothing()
    {
        var journal = new HookJournal(new InMemoryJobEventJournal());
        int streamReads = 0;
        journal.OnReadStream = _ => streamReads++;
        var queued = new JobPlan(JobType.Parse("send-mail"), [], null, null, runsHandler: true);
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), new JobEngineOptions { StateCacheCapacity = 4 }, queued);
        var jobs = new List<JobId>();
        for (int i = 0; i < 10; i++)
        {
            jobs.Add((await sut.CreateJobAsync(new CreateJobRequest { JobType = queued.JobType, RequestId = EventId.Parse($"mail-{i}") })).JobId);
        }

        sut.KnownVersion(jobs[^1]).Should().BeNull("with more jobs waiting than the capacity, the jobs created last are the ones let go");

        // The queue runs oldest first: its first jobs' claims find them cached (least recently used would have let them go).
        int readsBefore = streamReads;
        for (int i = 0; i < 4; i++)
        {
            (await sut.TryClaimAsync(jobs[i], "worker-1", TimeSpan.FromMinutes(1), CancellationToken.None)).Attempt.Should().Be(1);
        }

        streamReads.Should().Be(readsBefore, "the four oldest waiting jobs stayed cached");

        // A job let go is rebuilt from the journal when its turn comes, and claimed all the same.
        (await sut.TryClaimAsync(jobs[^1], "worker-1", TimeSpan.FromMinutes(1), CancellationToken.None)).Attempt.Should().Be(1);
        streamReads.Should().Be(readsBefore + 1);
        (await sut.GetStateAsync(jobs[^1]))!.Attempts.Should().ContainSingle();
    }

    [Fact]
    public async Task KnowingAJob_IsNotAUse_ItKeepsItsPlaceInTheCache()
    {
        var journal = new HookJournal(new InMemoryJobEventJournal());
        int streamReads = 0;
        journal.OnReadStream = _ => streamReads++;
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), new JobEngineOptions { StateCacheCapacity = 2 }, TestPlans.Order);
        await sut.CreateJobAsync(TestEvents.Create("req-1", "order-1", orderId: "1"));
        await sut.CreateJobAsync(TestEvents.Create("req-2", "order-2", orderId: "2"));

        // The worker's journal scan asks what it knows of every job it reads: that must not make order-1 the latest used.
        sut.KnownVersion(JobId.Parse("order-1")).Should().Be(2);
        await sut.CreateJobAsync(TestEvents.Create("req-3", "order-3", orderId: "3"));
        int readsBefore = streamReads;

        (await sut.GetStateAsync(JobId.Parse("order-2")))!.Status.Should().Be(JobStatus.Running);
        streamReads.Should().Be(readsBefore, "order-2 was used after order-1, so order-1 went first");
        (await sut.GetStateAsync(JobId.Parse("order-1")))!.Status.Should().Be(JobStatus.Running);
        streamReads.Should().Be(readsBefore + 1, "order-1, used longest ago, was let go");
    }

    [Fact]
    public async Task FinishedJobs_OnlyAFewKeepTheirState_ButEveryOnesVersionAndStatusStayKnown()
    {
        var journal = new HookJournal(new InMemoryJobEventJournal());
        int streamReads = 0;
        journal.OnReadStream = _ => streamReads++;
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), new JobEngineOptions { StateCacheCapacity = 10_000 }, TestPlans.Order);
        await sut.CreateJobAsync(TestEvents.Create("req-waiting", "order-waiting", orderId: "w"));
        int finished = JobStateCache.FinishedSlots + 50;
        for (int i = 0; i < finished; i++)
        {
            await sut.CreateJobAsync(TestEvents.Create($"req-{i}", $"order-{i}", orderId: $"o{i}"));
            await sut.IngestAsync(TestEvents.Domain($"declined-{i}", "payment.declined", orderId: $"o{i}", jobId: $"order-{i}"));
        }

        int readsBefore = streamReads;
        JobId firstFinished = JobId.Parse("order-0");
        long version = sut.KnownVersion(firstFinished)!.Value;
        sut.KnownStatus(firstFinished, version).Should().Be(JobStatus.Failed, "a finished job's version and status are remembered after its state is let go");
        sut.KnownVersion(JobId.Parse($"order-{finished - 1}")).Should().NotBeNull();
        streamReads.Should().Be(readsBefore, "knowing costs no read");

        (await sut.GetStateAsync(JobId.Parse($"order-{finished - 1}")))!.Status.Should().Be(JobStatus.Failed);
        (await sut.GetStateAsync(JobId.Parse("order-waiting")))!.Status.Should().Be(JobStatus.Running);
        streamReads.Should().Be(readsBefore, "the waiting job and the latest finished ones are still cached");

        (await sut.GetStateAsync(firstFinished))!.Status.Should().Be(JobStatus.Failed, "an early finished job is rebuilt from the journal");
        streamReads.Should().Be(readsBefore + 1, "only the finished jobs beyond the few kept lost their state");
    }

    [Fact]
    public async Task GetStateAsync_ManyJobsWithCapacityTwo_StatesRebuiltCorrectly()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), new JobEngineOptions { StateCacheCapacity = 2 }, TestPlans.Order);
        const int jobs = 12;
        for (int j = 0; j < jobs; j++)
        {
            await sut.CreateJobAsync(TestEvents.Create($"req-{j}", $"order-{j}", orderId: $"{j}"));
        }

        // Interleave the jobs' events so every write finds its job evicted.
        for (int round = 0; round < 3; round++)
        {
            for (int j = 0; j < jobs; j++)
            {
                string type = round == 0 ? "payment.captured" : "parcel.delivered";
                bool addressed = (j + round) % 2 == 0;
                await sut.IngestAsync(TestEvents.Domain($"e-{j}-{round}", j % 4 == 3 && round == 1 ? "payment.declined" : type, orderId: $"{j}", jobId: addressed ? $"order-{j}" : null));
            }
        }

        for (int j = 0; j < jobs; j++)
        {
            JobId jobId = JobId.Parse($"order-{j}");
            JobState? state = await sut.GetStateAsync(jobId);
            state.Should().Be(await journal.ProjectAsync(TestPlans.Order, jobId), $"job {j}");
            state!.Status.Should().Be(j % 4 == 3 ? JobStatus.Failed : JobStatus.Succeeded, $"job {j}");
            state.Expectations[0].Count.Should().Be(1);
        }
    }

    [Fact]
    public async Task IngestAsync_EvictedJobRedelivery_StillDuplicate()
    {
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), new JobEngineOptions { StateCacheCapacity = 1 }, TestPlans.Order);
        JobCreationResult first = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-1", orderId: "1"));
        await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", orderId: "1"));
        await sut.CreateJobAsync(TestEvents.Create("req-2", "order-2", orderId: "2"));
        long count = journal.Count;

        IngestResult result = await sut.IngestAsync(TestEvents.Domain("pay-1", "payment.captured", orderId: "1"));

        result.Outcomes.Should().ContainSingle().Which.Should().Match<JobIngestOutcome>(o => o.Status == IngestStatus.Duplicate && o.JobId == first.JobId && o.JobStatus == JobStatus.Running);
        journal.Count.Should().Be(count);
    }

    [Fact]
    public async Task GetStateAsync_AnotherEngineAppendedMeanwhile_CatchesUp()
    {
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        using JobEngine sut = TestEngine.Create(journal, time, TestPlans.Order);
        using JobEngine otherNode = TestEngine.Create(journal, time, TestPlans.Order);
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));
        JobState cached = (await sut.GetStateAsync(created.JobId))!;

        await otherNode.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));
        await otherNode.IngestAsync(TestEvents.Domain("parcel-1", "parcel.delivered", jobId: "order-42"));
        JobState? caughtUp = await sut.GetStateAsync(created.JobId);

        cached.Version.Should().Be(2);
        caughtUp!.Version.Should().Be(4);
        caughtUp.Expectations.Select(e => e.Count).Should().Equal(1, 1);
        caughtUp.Should().Be(await otherNode.GetStateAsync(created.JobId));
    }

    [Fact]
    public async Task IngestAsync_StaleCacheAfterOtherEngineWrote_AppendsAtRightSequence()
    {
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        using JobEngine sut = TestEngine.Create(journal, time, TestPlans.Order);
        using JobEngine otherNode = TestEngine.Create(journal, time, TestPlans.Order);
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "order-42"));
        await otherNode.IngestAsync(TestEvents.Domain("pay-1", "payment.captured"));
        await otherNode.IngestAsync(TestEvents.Domain("parcel-1", "parcel.delivered"));

        IngestResult result = await sut.IngestAsync(TestEvents.Domain("parcel-2", "parcel.delivered", jobId: "order-42"));
        JobCommandResult abort = await otherNode.AbortAsync(created.JobId, "too late", EventId.Parse("abort-1"));

        result.Outcomes.Should().ContainSingle().Which.Should().Match<JobIngestOutcome>(o => o.Status == IngestStatus.Applied && o.JobStatus == JobStatus.Succeeded && o.Entry!.Value.Sequence == 5);
        abort.Status.Should().Be(IngestStatus.RecordedOnly, "the other node catches up before deciding");
        (await sut.GetStateAsync(created.JobId))!.Status.Should().Be(JobStatus.Succeeded);
        (await journal.ReadStreamListAsync(created.JobId)).Select(e => e.Sequence).Should().Equal(1, 2, 3, 4, 5, 6);
    }
    [Fact]
    public void TheInMemoryJournal_SaysItsReadsCostNoIO_TheHookJournalOnlyWhenATestSaysSo()
    {
        new InMemoryJobEventJournal().Should().BeAssignableTo<IInMemoryReads>().Which.ReadsAreInMemory.Should().BeTrue();
        new HookJournal(new InMemoryJobEventJournal()).ReadsAreInMemory.Should().BeFalse("a hook may do anything");
    }

    [Fact]
    public async Task InMemoryReads_BehindALongQueue_AJobWaitsWithoutItsFold_ItsClaimRebuildsIt_AndAnnouncesNothingTwice()
    {
        var journal = new HookJournal(new InMemoryJobEventJournal()) { ReadsAreInMemory = true };
        int streamReads = 0;
        journal.OnReadStream = _ => streamReads++;
        var queued = new JobPlan(JobType.Parse("send-mail"), [], null, null, runsHandler: true);
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), new JobEngineOptions { StateCacheCapacity = 4 }, queued);
        var published = new PublishedChanges();
        sut.Changes.AddListener(published);
        var jobs = new List<JobId>();
        for (int i = 0; i < 10; i++)
        {
            jobs.Add((await sut.CreateJobAsync(new CreateJobRequest { JobType = queued.JobType, RequestId = EventId.Parse($"mail-{i}") })).JobId);
        }

        sut.KnownVersion(jobs[^1]).Should().Be(2, "a waiting job's version is remembered, beyond the capacity too");
        sut.KnownStatus(jobs[^1], 2).Should().Be(JobStatus.Running);
        published.Changes.Should().HaveCount(10, "each creation is announced once");

        // The first jobs came to a short queue (shorter than the capacity here): they kept their folds.
        int readsBefore = streamReads;
        (await sut.TryClaimAsync(jobs[0], "worker-1", TimeSpan.FromMinutes(1), CancellationToken.None)).Attempt.Should().Be(1);
        streamReads.Should().Be(readsBefore, "a job created while the queue was short kept its fold");

        // The later ones wait without: a claim rebuilds the fold, and announces only itself.
        (await sut.TryClaimAsync(jobs[^1], "worker-1", TimeSpan.FromMinutes(1), CancellationToken.None)).Attempt.Should().Be(1);

        streamReads.Should().Be(readsBefore + 1, "the claim rebuilt the job's fold from the journal");
        published.Changes.Skip(10).Should().Equal(
            [(jobs[0], JobStatus.Running, JobStatus.Running, 3L), (jobs[^1], JobStatus.Running, JobStatus.Running, 3L)],
            "the rebuild announced nothing; each claim announced itself");
        sut.KnownVersion(jobs[^1]).Should().Be(3);
        (await sut.GetStateAsync(jobs[^1])).Should().Be(await journal.Inner.ProjectAsync(queued, jobs[^1]));
        streamReads.Should().Be(readsBefore + 1, "once claimed, the job's fold is kept");

        // Reading a waiting job (as the worker's first poll reads every job) rebuilds its state but keeps it waiting without its fold.
        (await sut.GetStateAsync(jobs[^2]))!.Version.Should().Be(2);
        (await sut.GetStateAsync(jobs[^2]))!.Status.Should().Be(JobStatus.Running);
        streamReads.Should().Be(readsBefore + 3, "each read of a waiting job rebuilds it; none keeps its fold");
        sut.KnownVersion(jobs[^2]).Should().Be(2);
        published.Changes.Should().HaveCount(12, "a read announces nothing");

        // So does the worker's view of it (its first poll reads every job).
        JobRunFacts facts = (await sut.GetRunFactsAsync(jobs[^3], CancellationToken.None))!.Value;
        facts.Should().Be(JobRunFacts.Of((await journal.Inner.ProjectAsync(queued, jobs[^3]))!));
        sut.KnownVersion(jobs[^3]).Should().Be(2);
        published.Changes.Should().HaveCount(12);
    }

    [Fact]
    public async Task InMemoryReads_AWaitingJobAnotherNodeMovedOn_IsRebuiltWithTheStatusThisNodeSaw()
    {
        var shared = new InMemoryJobEventJournal();
        var journal = new HookJournal(shared) { ReadsAreInMemory = true };
        var time = new ManualTimeProvider();
        var queued = new JobPlan(JobType.Parse("send-mail"), [], null, null, runsHandler: true);
        using JobEngine sut = TestEngine.Create(journal, time, new JobEngineOptions { StateCacheCapacity = 1 }, queued);
        using JobEngine otherNode = TestEngine.Create(shared, time, queued);
        await sut.CreateJobAsync(new CreateJobRequest { JobType = queued.JobType, RequestId = EventId.Parse("mail-first") }); // the short queue (one job here)
        var published = new PublishedChanges();
        sut.Changes.AddListener(published);
        JobId jobId = (await sut.CreateJobAsync(new CreateJobRequest { JobType = queued.JobType, RequestId = EventId.Parse("mail-1") })).JobId;

        (await otherNode.AbortAsync(jobId, "not needed", EventId.Parse("abort-1"))).Status.Should().Be(IngestStatus.Applied);
        sut.KnownStatus(jobId, 3).Should().BeNull("this node remembers version 2 only");

        (await sut.GetStateAsync(jobId))!.Status.Should().Be(JobStatus.Aborted);
        published.Changes.Should().Equal((jobId, JobStatus.Running, null, 2L), (jobId, JobStatus.Aborted, JobStatus.Running, 3L));
        sut.KnownStatus(jobId, 3).Should().Be(JobStatus.Aborted);
    }

    /// <summary>Every change the engine announces: the job, its status, its status before (when witnessed) and its version.</summary>
    private sealed class PublishedChanges : IJobChangeListener
    {
        public List<(JobId JobId, JobStatus Status, JobStatus? Before, long Version)> Changes { get; } = [];

        public bool IsInterestedIn(JobPlan plan, JobStatus status) => true;

        public void OnChanged(JobSlot slot, JobStatus? statusBefore) => Changes.Add((slot.JobId, slot.Status, statusBefore, slot.Version));
    }
}
