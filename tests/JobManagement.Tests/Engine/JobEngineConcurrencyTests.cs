using JobManagement.Journal.Conformance.Features;
using System.Collections.Concurrent;
using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Engine;

/// <summary>Many threads redelivering the same events: exactly one entry per EventId, contiguous sequences, correct state.</summary>
public sealed class JobEngineConcurrencyTests
{
    private const int Threads = 8;
    private const int Rounds = 40;
    private const int Required = 40;
    private const int Distinct = 50;
    private static readonly TimeSpan SafetyNet = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task IngestAsync_EightThreadsRedeliveringSameEvents_ExactlyOneEntryPerEventId(bool addressed)
    {
        var journal = new InMemoryJobEventJournal();
        JobPlan plan = TestPlans.Packing(Required);
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), plan);
        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create("req-1", "packing-1", jobType: plan.JobType));
        IncomingEvent[] events = [.. Enumerable.Range(0, Distinct).Select(i => TestEvents.Domain($"item-{i}", "item.packed", jobId: addressed ? "packing-1" : null))];

        ConcurrentBag<JobIngestOutcome> outcomes = await HammerAsync(sut, events, seed: addressed ? 1 : 2);

        List<JobEventLogEntry> stream = await journal.ReadStreamListAsync(created.JobId);
        stream.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, 2 + Distinct).Select(i => (long)i), "sequences are contiguous 1..n");
        stream.Select(e => e.EventId).Should().OnlyHaveUniqueItems();
        stream.Skip(2).Select(e => e.EventId).Should().BeEquivalentTo(events.Select(e => e.EventId));
        journal.Count.Should().Be(2 + Distinct, "nothing went to the unrouted stream");
        outcomes.Should().HaveCount(Threads * Rounds * Distinct);
        outcomes.Count(o => o.Status != IngestStatus.Duplicate).Should().Be(Distinct, "each event is appended by exactly one delivery");
        outcomes.Where(o => o.Status != IngestStatus.Duplicate).Should().OnlyContain(o => o.Status == IngestStatus.Applied || o.Status == IngestStatus.RecordedOnly);
        outcomes.Should().OnlyContain(o => o.JobId == created.JobId && !o.IsConflict);
        JobState state = (await sut.GetStateAsync(created.JobId))!;
        state.Status.Should().Be(JobStatus.Succeeded);
        state.Expectations[0].Count.Should().Be(Required);
        state.RecordedOnlyCount.Should().Be(Distinct - Required);
        state.Version.Should().Be(2 + Distinct);
        state.Should().Be(JobStateProjector.Project(plan, stream));
    }

    [Fact]
    public async Task IngestAsync_EightThreadsFanningOutToTwoJobs_OneEntryPerJobPerEventId()
    {
        var journal = new InMemoryJobEventJournal();
        JobPlan packing = TestPlans.Packing(Distinct);
        JobPlan audit = new JobPlanBuilder(JobType.Parse("packing-audit")).Expect("item.packed", e => e.CorrelatedOn("orderId").AtLeastOnce()).Build();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), packing, audit);
        JobCreationResult first = await sut.CreateJobAsync(TestEvents.Create("req-1", "packing-1", jobType: packing.JobType));
        JobCreationResult second = await sut.CreateJobAsync(TestEvents.Create("req-2", "audit-1", start: false, jobType: audit.JobType));
        IncomingEvent[] events = [.. Enumerable.Range(0, Distinct).Select(i => TestEvents.Domain($"item-{i}", "item.packed"))];

        ConcurrentBag<JobIngestOutcome> outcomes = await HammerAsync(sut, events, seed: 3);

        foreach (JobId jobId in new[] { first.JobId, second.JobId })
        {
            List<JobEventLogEntry> stream = await journal.ReadStreamListAsync(jobId);
            stream.Where(e => e.Lane == EventLane.Domain).Should().HaveCount(Distinct);
            stream.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, stream.Count).Select(i => (long)i));
            stream.Select(e => e.EventId).Should().OnlyHaveUniqueItems();
            outcomes.Count(o => o.JobId == jobId && o.Status != IngestStatus.Duplicate).Should().Be(Distinct);
        }

        journal.Count.Should().Be(3 + (2 * Distinct));
        (await sut.GetStateAsync(first.JobId))!.Status.Should().Be(JobStatus.Succeeded);
        JobState audited = (await sut.GetStateAsync(second.JobId))!;
        audited.Status.Should().Be(JobStatus.Created, "never started, so every match counts");
        audited.Expectations[0].Count.Should().Be(Distinct);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public async Task IngestAsync_EarlyEventsRacingWithCreation_EveryEventReachesJobExactlyOnce(int seed)
    {
        var journal = new InMemoryJobEventJournal();
        JobPlan plan = TestPlans.Packing(Distinct);
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), plan);
        IncomingEvent[] events = [.. Enumerable.Range(0, Distinct).Select(i => TestEvents.Domain($"item-{i}", "item.packed", jobId: i % 2 == 0 ? "packing-1" : null))];
        var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int delivered = 0;

        Task<JobCreationResult> creator = Task.Run(async () =>
        {
            await halfway.Task.WaitAsync(SafetyNet);
            return await sut.CreateJobAsync(TestEvents.Create("req-1", "packing-1", jobType: plan.JobType));
        });
        ConcurrentBag<JobIngestOutcome> outcomes = await HammerAsync(sut, events, seed, rounds: 4, afterEach: () =>
        {
            if (Interlocked.Increment(ref delivered) == Threads * Distinct)
            {
                halfway.TrySetResult();
            }
        });
        JobCreationResult created = await creator.WaitAsync(SafetyNet);

        List<JobEventLogEntry> stream = await journal.ReadStreamListAsync(created.JobId);
        stream.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, stream.Count).Select(i => (long)i));
        stream.Where(e => e.Lane == EventLane.Domain).Select(e => e.EventId).Should().BeEquivalentTo(events.Select(e => e.EventId), $"seed {seed}: every event exactly once");
        JobState state = (await sut.GetStateAsync(created.JobId))!;
        state.Status.Should().Be(JobStatus.Succeeded, $"seed {seed}");
        state.Expectations[0].Count.Should().Be(Distinct);
        outcomes.Should().NotContain(o => o.Status == IngestStatus.Rejected);
    }

    [Fact]
    public async Task IngestAsync_TwoEnginesOneJournalConcurrently_ExactlyOneEntryPerEventId()
    {
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        JobPlan plan = TestPlans.Packing(Distinct);
        using JobEngine nodeA = TestEngine.Create(journal, time, new JobEngineOptions { MaxConcurrencyRetries = 1000 }, plan);
        using JobEngine nodeB = TestEngine.Create(journal, time, new JobEngineOptions { MaxConcurrencyRetries = 1000 }, plan);
        JobCreationResult created = await nodeA.CreateJobAsync(TestEvents.Create("req-1", "packing-1", jobType: plan.JobType));
        await nodeB.GetStateAsync(created.JobId);
        IncomingEvent[] events = [.. Enumerable.Range(0, Distinct).Select(i => TestEvents.Domain($"item-{i}", "item.packed", jobId: i % 3 == 0 ? "packing-1" : null))];

        Task<ConcurrentBag<JobIngestOutcome>> a = HammerAsync(nodeA, events, seed: 21, rounds: 10, threads: 4);
        Task<ConcurrentBag<JobIngestOutcome>> b = HammerAsync(nodeB, events, seed: 22, rounds: 10, threads: 4);
        ConcurrentBag<JobIngestOutcome>[] both = await Task.WhenAll(a, b).WaitAsync(SafetyNet);

        List<JobEventLogEntry> stream = await journal.ReadStreamListAsync(created.JobId);
        stream.Select(e => e.Sequence).Should().Equal(Enumerable.Range(1, 2 + Distinct).Select(i => (long)i));
        stream.Select(e => e.EventId).Should().OnlyHaveUniqueItems();
        both.SelectMany(o => o).Count(o => o.Status != IngestStatus.Duplicate).Should().Be(Distinct);
        JobState expected = JobStateProjector.Project(plan, stream);
        (await nodeA.GetStateAsync(created.JobId)).Should().Be(expected);
        (await nodeB.GetStateAsync(created.JobId)).Should().Be(expected);
        expected.Status.Should().Be(JobStatus.Succeeded);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CreateJobAsync_SameRequestFromEightThreads_ExactlyOneJob(bool withJobId)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            var journal = new InMemoryJobEventJournal();
            using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
            CreateJobRequest request = TestEvents.Create("req-1", withJobId ? "order-42" : null);
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<JobCreationResult>[] creators = [.. Enumerable.Range(0, Threads).Select(_ => Task.Run(async () =>
            {
                await go.Task;
                return await sut.CreateJobAsync(request);
            }))];

            go.SetResult();
            JobCreationResult[] results = await Task.WhenAll(creators).WaitAsync(SafetyNet);

            results.Select(r => r.JobId).Distinct().Should().ContainSingle($"attempt {attempt}: one request creates one job");
            results.Count(r => !r.IsDuplicate).Should().Be(1, $"attempt {attempt}");
            journal.Count.Should().Be(2, $"attempt {attempt}: one job.created and one job.started");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CreateJobAsync_RetryArrivingJustBeforeTheFirstAppends_ExactlyOneJob(bool withJobId)
    {
        // Forces the interleaving deterministically: the retry is issued from inside the first
        // call's append of its job.created, i.e. after the first decided to create but before it appended.
        var inner = new InMemoryJobEventJournal();
        var journal = new HookJournal(inner);
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider(), TestPlans.Order);
        CreateJobRequest request = TestEvents.Create("req-1", withJobId ? "order-42" : null);
        Task<JobCreationResult>? retry = null;
        int issued = 0;
        journal.BeforeAppend = (_, events) =>
        {
            if (events[0].EventId == request.RequestId && Interlocked.Exchange(ref issued, 1) == 0)
            {
                retry = sut.CreateJobAsync(request).AsTask();
            }

            return Task.CompletedTask;
        };

        JobCreationResult first = await sut.CreateJobAsync(request);
        JobCreationResult second = await retry!.WaitAsync(SafetyNet);

        second.JobId.Should().Be(first.JobId, "one request creates one job");
        new[] { first.IsDuplicate, second.IsDuplicate }.Count(d => !d).Should().Be(1);
        inner.Count.Should().Be(2, "one job.created and one job.started");
    }

    /// <summary>Every thread delivers every event once per round, in its own seeded order, all threads released together.</summary>
    private static async Task<ConcurrentBag<JobIngestOutcome>> HammerAsync(JobEngine engine, IncomingEvent[] events, int seed, int rounds = Rounds, int threads = Threads, Action? afterEach = null)
    {
        var outcomes = new ConcurrentBag<JobIngestOutcome>();
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task[] workers = [.. Enumerable.Range(0, threads).Select(t => Task.Run(async () =>
        {
            var random = new Random(seed * 100 + t);
            IncomingEvent[] order = [.. events];
            await go.Task;
            for (int round = 0; round < rounds; round++)
            {
                random.Shuffle(order);
                foreach (IncomingEvent incoming in order)
                {
                    IngestResult result = await engine.IngestAsync(incoming);
                    foreach (JobIngestOutcome outcome in result.Outcomes)
                    {
                        outcomes.Add(outcome);
                    }

                    afterEach?.Invoke();
                }
            }
        }))];
        go.SetResult();
        await Task.WhenAll(workers).WaitAsync(SafetyNet);
        return outcomes;
    }
}
