using JobManagement.Journal.Conformance.Workers;
using Polly;
using Xunit.Abstractions;
using EventId = JobManagement.EventId;

namespace JobManagement.Journal.Conformance;

/// <summary>
/// What the hosted worker owes on every journal: handlers run to a typed result; failures are retried
/// after a journalled wait, also across a restart; exhausted retries dead-letter and replay; an abort
/// cancels the handler and its late outcome is record-only; an expired lease is taken over; a graceful
/// shutdown interrupts and a new worker finishes; two workers over one journal run every job to one
/// success. Each journal's test project subclasses it in a few lines; nodes of one test share the
/// storage chosen by <see cref="UseJournal"/> and one manual clock.
/// </summary>
public abstract class WorkerConformanceTests
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(10);

    protected WorkerConformanceTests(ITestOutputHelper? output = null)
    {
        Output = output;
    }

    /// <summary>Gets where tests report what they observed (duplicates, per-worker counts); may be null.</summary>
    protected ITestOutputHelper? Output { get; }

    /// <summary>Gets why the journal cannot be tested here (for example: no server locally), or null.</summary>
    protected virtual string? UnavailableReason => null;

    /// <summary>Gets the clock every node of a test shares.</summary>
    protected ManualTimeProvider Clock { get; } = new();

    /// <summary>Gets the probe every node of a test shares.</summary>
    protected WorkerProbe Probe { get; } = new();

    /// <summary>Gets how many jobs the two-worker test runs.</summary>
    protected virtual int TwoWorkerJobCount => 100;

    /// <summary>Chooses the journal under test, over storage shared by every node of one test (and fresh for each test).</summary>
    /// <param name="jobs">The engine builder of one node.</param>
    protected abstract void UseJournal(JobEngineBuilder jobs);

    [SkippableFact]
    public async Task JobCreatedByAnotherNode_AfterTheWorkersFirstScan_IsFoundByItsJournalPoll_AndRun()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using WorkerNode worker = await NewNode().StartAsync();
        Assert.True(await Eventually.TrueAsync(() => Task.FromResult(worker.Status.GetStatus().LastScanAt is not null)), "the worker's first scan ends");
        DateTimeOffset nextPoll = worker.Status.GetStatus().LastScanAt!.Value + TimeSpan.FromMinutes(1);
        await using WorkerNode producer = NewNode(); // its worker never starts: only the journal connects the two

        JobId jobId = await producer.CreateAsync("from-elsewhere");
        await Clock.WaitForTimerAsync(nextPoll);
        // Every read goes through the producer: a read through the worker's own engine would tell its worker of the job.
        (await producer.Engine.GetStateAsync(jobId))!.Attempts.Should().BeEmpty("the worker has not polled since");
        Clock.Advance(nextPoll - Clock.GetUtcNow());
        Assert.True(await Eventually.TrueAsync(async () => (await producer.Engine.GetStateAsync(jobId))!.IsTerminal), "the job ends");
        JobState done = (await producer.Engine.GetStateAsync(jobId))!;

        done.Status.Should().Be(JobStatus.Succeeded);
        done.Attempts.Should().ContainSingle().Which.Worker.Should().Be(worker.WorkerId);
    }

    [SkippableFact]
    public async Task Handler_Succeeds_JobSucceedsWithTypedResult()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using WorkerNode node = await NewNode().StartAsync();

        JobId jobId = await node.CreateAsync("ada");
        JobState state = await node.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Succeeded);
        state.GetResult<ConformanceReceipt>().Should().Be(new ConformanceReceipt("ada", 1));
        state.Attempts.Should().ContainSingle().Which.Should().Match<JobAttempt>(a => a.Number == 1 && a.Outcome == AttemptOutcome.Succeeded && a.Worker == node.WorkerId);
        Probe.Calls.Should().Equal($"{jobId}:1:ada");
        (await node.Engine.GetHistoryAsync(jobId)).Select(static e => e.EventType.Value)
            .Should().Equal("job.created", "job.started", "job.attempt.started", "job.attempt.succeeded");
    }

    [SkippableFact]
    public async Task Failure_IsRetriedAtTheJournalledRetryTime_NotBefore()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using WorkerNode node = await NewNode(ConstantRetries, OffTheRetryTime).StartAsync();
        Probe.FailuresLeft = 1;
        DateTimeOffset start = Clock.GetUtcNow();

        JobId jobId = await node.CreateAsync("bob");
        JobState waiting = await node.WaitUntilAsync(jobId, static s => s.Attempts is [{ Outcome: AttemptOutcome.Failed }], "a failed first attempt");
        DateTimeOffset retryAt = waiting.NextAttemptAt!.Value;

        retryAt.Should().Be(start + RetryDelay, "Polly's wait is journalled as the retry time");
        waiting.Status.Should().Be(JobStatus.Running);
        await Clock.WaitForTimerAsync(retryAt);
        Clock.Advance(RetryDelay - TimeSpan.FromSeconds(1));
        (await node.Engine.GetStateAsync(jobId))!.Attempts.Should().ContainSingle("the retry time has not come");
        Probe.Calls.Should().HaveCount(1);

        Clock.Advance(TimeSpan.FromSeconds(1));
        JobState done = await node.WaitForTerminalAsync(jobId);

        done.Status.Should().Be(JobStatus.Succeeded);
        done.Attempts.Select(static a => a.Outcome).Should().Equal(AttemptOutcome.Failed, AttemptOutcome.Succeeded);
        done.Attempts[1].StartedAt.Should().Be(retryAt);
        done.Attempts[0].Failure!.Message.Should().Contain("attempt 1");
        done.GetResult<ConformanceReceipt>()!.Attempt.Should().Be(2);
    }

    [SkippableFact]
    public async Task RetryWait_SurvivesARestart_NewWorkerRunsTheRetryAtItsTimeAndNotBefore()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        Probe.FailuresLeft = 1;
        JobId jobId;
        DateTimeOffset retryAt;
        await using (WorkerNode first = await NewNode(ConstantRetries, OffTheRetryTime).StartAsync())
        {
            jobId = await first.CreateAsync("carol");
            JobState waiting = await first.WaitUntilAsync(jobId, static s => s.Attempts is [{ Outcome: AttemptOutcome.Failed }], "a failed first attempt");
            retryAt = waiting.NextAttemptAt!.Value;
            await Clock.WaitForTimerAsync(retryAt); // the first worker is in Polly's wait when it stops
        }

        (await Eventually.TrueAsync(() => Task.FromResult(Clock.ArmedTimerCount == 0))).Should().BeTrue("the stopped node leaves no timer behind");
        await using WorkerNode second = await NewNode(ConstantRetries, OffTheRetryTime).StartAsync();
        await Clock.WaitForTimerAsync(retryAt); // the new worker read the retry time from the journal and sleeps until then
        Clock.Advance(retryAt - Clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        (await second.Engine.GetStateAsync(jobId))!.Attempts.Should().ContainSingle("the retry time has not come");

        Clock.Advance(TimeSpan.FromSeconds(1));
        JobState done = await second.WaitForTerminalAsync(jobId);

        done.Status.Should().Be(JobStatus.Succeeded);
        done.Attempts.Select(static a => a.Outcome).Should().Equal(AttemptOutcome.Failed, AttemptOutcome.Succeeded);
        done.Attempts[1].StartedAt.Should().Be(retryAt);
        done.Attempts[1].Worker.Should().Be(second.WorkerId);
        Probe.Calls.Should().Equal($"{jobId}:1:carol", $"{jobId}:2:carol");
    }

    [SkippableFact]
    public async Task RetriesExhausted_FailsAndDeadLetters_ReplayCreatesALinkedJob()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using WorkerNode node = await NewNode(static h => h.WithRetries(1, TimeSpan.Zero)).StartAsync();
        Probe.FailuresLeft = 2;

        JobId original = await node.CreateAsync("dave");
        JobState failed = await node.WaitForTerminalAsync(original);

        failed.Status.Should().Be(JobStatus.Failed);
        failed.IsDeadLettered.Should().BeTrue();
        failed.Attempts.Should().HaveCount(2).And.OnlyContain(static a => a.Outcome == AttemptOutcome.Failed);
        (await node.Engine.ListDeadLettersAsync()).Select(static s => s.JobId).Should().Equal(original);

        JobCreationResult replay = await node.Engine.ReplayAsync(original, EventId.Parse("replay-dave"));
        JobState replayed = await node.WaitForTerminalAsync(replay.JobId);

        replay.JobId.Should().NotBe(original);
        replayed.Status.Should().Be(JobStatus.Succeeded);
        replayed.ReplayOf.Should().Be(original);
        replayed.GetResult<ConformanceReceipt>().Should().Be(new ConformanceReceipt("dave", 1));
        (await node.Engine.GetStateAsync(original)).Should().Be(failed, "the original stays terminal and unchanged");
    }

    [SkippableFact]
    public async Task Abort_WhileTheHandlerRuns_CancelsIt_AndTheLateOutcomeIsRecordOnly()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using WorkerNode node = await NewNode().StartAsync();
        Probe.Block = true;

        JobId jobId = await node.CreateAsync("erin");
        await Probe.Entered.Task.WaitAsync(Eventually.Deadline);
        await node.Engine.AbortAsync(jobId, "operator says stop");
        JobState state = await node.WaitUntilAsync(jobId, static s => s.Status == JobStatus.Aborted && s.RecordedOnlyCount > 0, "aborted, with the late outcome recorded");

        (await Eventually.TrueAsync(() => Task.FromResult(Probe.Cancelled == 1))).Should().BeTrue("the handler's token is cancelled");
        state.Attempts.Should().ContainSingle().Which.Outcome.Should().NotBe(AttemptOutcome.Succeeded);
        state.Result.Should().BeNull();
        StreamChecks stream = await StreamChecks.ReadAsync(node.Journal, node.Plan, jobId);
        stream.AppliedSucceeded.Should().Be(0);
        stream.Projected.Should().Be(state);
    }

    [SkippableFact]
    public async Task LiveAttempt_RenewsItsLeaseEveryInterval_SoNoOtherWorkerCanTakeItOver()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        TimeSpan lease = TimeSpan.FromSeconds(30);
        TimeSpan interval = TimeSpan.FromSeconds(10);
        await using WorkerNode node = await NewNode(worker: o => (o.LeaseDuration, o.LeaseRenewalInterval) = (lease, interval)).StartAsync();
        Probe.Block = true;
        JobId jobId = await node.CreateAsync("grace");
        await Probe.Entered.Task.WaitAsync(Eventually.Deadline);

        // Nine intervals: three times the lease. Each renewal moves the lease on; another worker can never claim.
        for (int tick = 1; tick <= 9; tick++)
        {
            Clock.Advance(interval);
            DateTimeOffset leaseUntil = Clock.GetUtcNow() + lease;
            await node.WaitUntilAsync(jobId, s => s.Attempts is [{ Outcome: AttemptOutcome.Running } running] && running.LeaseUntil == leaseUntil, $"renewal {tick}");
            (await EngineInternals.TryClaimAsync(node.Engine, jobId, "other-worker", lease)).Should().BeNull($"the lease renewed at tick {tick} still holds");
        }

        Probe.Gate.TrySetResult();
        JobState done = await node.WaitForTerminalAsync(jobId);

        done.Status.Should().Be(JobStatus.Succeeded);
        done.Attempts.Should().ContainSingle().Which.Should().Match<JobAttempt>(a => a.Worker == node.WorkerId && a.Outcome == AttemptOutcome.Succeeded);
        IReadOnlyList<JobEventLogEntry> history = await node.Engine.GetHistoryAsync(jobId);
        history.Count(static e => e.EventType == ExecutionEventTypes.AttemptLeaseRenewed).Should().Be(9, "one renewal per interval, none after the outcome");
        history[^1].EventType.Should().Be(ExecutionEventTypes.AttemptSucceeded);
        StreamChecks stream = await StreamChecks.ReadAsync(node.Journal, node.Plan, jobId);
        stream.Projected.Should().Be(done);
    }

    [SkippableFact]
    public async Task ExpiredLease_OfADeadWorker_IsTakenOver_AndItsLateSuccessIsRecordOnly()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        TimeSpan lease = TimeSpan.FromSeconds(30);
        await using WorkerNode node = NewNode(worker: o => (o.LeaseDuration, o.LeaseRenewalInterval) = (lease, TimeSpan.FromSeconds(10)));
        Probe.Block = true;
        JobId jobId = await node.CreateAsync("frank");
        DateTimeOffset claimedAt = Clock.GetUtcNow();
        (await EngineInternals.TryClaimAsync(node.Engine, jobId, "dead-worker", lease)).Should().Be(1, "the dead worker claims attempt 1 and never runs it");

        await node.StartAsync();
        await Clock.WaitForTimerAsync(claimedAt + lease); // the live worker sleeps until the lease expires
        Probe.Invocations.Should().BeEmpty("the lease still holds");
        Clock.Advance(lease);
        JobState takenOver = await node.WaitUntilAsync(jobId, static s => s.Attempts is [_, { Outcome: AttemptOutcome.Running }], "a second attempt");
        await Probe.Entered.Task.WaitAsync(Eventually.Deadline);

        takenOver.Attempts[0].Should().Match<JobAttempt>(a => a.Worker == "dead-worker" && a.Outcome == AttemptOutcome.Interrupted);
        takenOver.Attempts[1].Worker.Should().Be(node.WorkerId);
        bool lateApplied = await EngineInternals.RecordAttemptSucceededAsync(node.Engine, jobId, 1, new ConformanceReceipt("frank", 1), Clock);
        lateApplied.Should().BeFalse("attempt 1 is no longer the running attempt");
        JobState afterLate = (await node.Engine.GetStateAsync(jobId))!;
        afterLate.Status.Should().Be(JobStatus.Running);
        afterLate.RecordedOnlyCount.Should().Be(takenOver.RecordedOnlyCount + 1);
        afterLate.Result.Should().BeNull();

        Probe.Gate.TrySetResult();
        JobState done = await node.WaitForTerminalAsync(jobId);

        done.Status.Should().Be(JobStatus.Succeeded);
        done.Attempts.Select(static a => a.Outcome).Should().Equal(AttemptOutcome.Interrupted, AttemptOutcome.Succeeded);
        done.GetResult<ConformanceReceipt>().Should().Be(new ConformanceReceipt("frank", 2));
        Probe.Calls.Should().Equal($"{jobId}:2:frank");
        StreamChecks stream = await StreamChecks.ReadAsync(node.Journal, node.Plan, jobId);
        (stream.AppliedSucceeded, stream.RecordedOnlySucceeded).Should().Be((1, 1));
        stream.Projected.Should().Be(done);
    }

    [SkippableFact]
    public async Task Claim_ByANodeThatIsBehind_MeetsTheOtherClaim_CatchesUp_AndStartsNoSecondAttempt()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        TimeSpan lease = TimeSpan.FromSeconds(30);
        await using WorkerNode a = NewNode();
        await using WorkerNode b = NewNode();
        JobId jobId = await a.CreateAsync("kim");
        (await b.Engine.GetStateAsync(jobId))!.Attempts.Should().BeEmpty("node b now holds the job as created");

        (await EngineInternals.TryClaimAsync(a.Engine, jobId, "worker-a", lease)).Should().Be(1);
        (await EngineInternals.TryClaimAsync(b.Engine, jobId, "worker-b", lease)).Should().BeNull("b's claim was decided on the job as created, met a's, and a's lease holds");

        JobState afterRace = (await b.Engine.GetStateAsync(jobId))!;
        afterRace.Attempts.Should().ContainSingle().Which.Should().Match<JobAttempt>(x => x.Worker == "worker-a" && x.Outcome == AttemptOutcome.Running);
        StreamChecks stream = await StreamChecks.ReadAsync(b.Journal, b.Plan, jobId);
        (stream.AppliedStarts, stream.RecordedOnlyStarts).Should().Be((1, 0), "the losing claim appended nothing");
        stream.Projected.Should().Be(afterRace);

        // Caught up, b decides on the current job: once a's lease has expired, it takes the job over.
        Clock.Advance(lease);
        (await EngineInternals.TryClaimAsync(b.Engine, jobId, "worker-b", lease)).Should().Be(2);
        (await a.Engine.GetStateAsync(jobId))!.Attempts.Select(static x => (x.Worker, x.Outcome))
            .Should().Equal(("worker-a", AttemptOutcome.Interrupted), ("worker-b", AttemptOutcome.Running));
    }

    [SkippableFact]
    public async Task GracefulShutdown_WithZeroTimeout_InterruptsTheAttempt_AndANewWorkerCompletesIt()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        Probe.Block = true;
        JobId jobId;
        await using (WorkerNode first = await NewNode(worker: static o => o.ShutdownTimeout = TimeSpan.Zero).StartAsync())
        {
            jobId = await first.CreateAsync("grace");
            await Probe.Entered.Task.WaitAsync(Eventually.Deadline);
            await first.StopAsync();

            JobState interrupted = (await first.Engine.GetStateAsync(jobId))!;
            interrupted.Status.Should().Be(JobStatus.Running, "an interrupted attempt leaves the job runnable");
            interrupted.Attempts.Should().ContainSingle().Which.Outcome.Should().Be(AttemptOutcome.Interrupted);
            interrupted.RecordedOnlyCount.Should().Be(0, "the interruption applied");
            interrupted.NextAttemptAt.Should().Be(Clock.GetUtcNow(), "it may run again at once");
            Probe.Cancelled.Should().Be(1, "the handler's token was cancelled");
        }

        Probe.Gate.TrySetResult();
        await using WorkerNode second = await NewNode().StartAsync();
        JobState done = await second.WaitForTerminalAsync(jobId);

        done.Status.Should().Be(JobStatus.Succeeded);
        done.Attempts.Select(static a => a.Outcome).Should().Equal(AttemptOutcome.Interrupted, AttemptOutcome.Succeeded);
        done.Attempts[1].Worker.Should().Be(second.WorkerId);
        done.GetResult<ConformanceReceipt>().Should().Be(new ConformanceReceipt("grace", 2));
    }

    [SkippableFact]
    public async Task TwoWorkers_OverOneJournal_RunEveryJobToExactlyOneSuccess()
    {
        Skip.If(UnavailableReason is not null, UnavailableReason);
        await using WorkerNode a = NewNode();
        await using WorkerNode b = NewNode();
        List<JobId> jobs = [];
        for (int i = 0; i < TwoWorkerJobCount; i++)
        {
            jobs.Add(await (i % 2 == 0 ? a : b).CreateAsync($"job{i}"));
        }

        await Task.WhenAll(a.StartAsync(), b.StartAsync());
        (await Eventually.TrueAsync(() => Task.FromResult(Probe.Invocations.Count == jobs.Count), TimeSpan.FromSeconds(60)))
            .Should().BeTrue($"every job's handler runs (ran: {Probe.Invocations.Count} of {jobs.Count})");

        Dictionary<string, int> byWorker = [];
        int recordedOnlyStarts = 0;
        foreach (JobId jobId in jobs)
        {
            JobState state = await a.WaitForTerminalAsync(jobId);
            state.Status.Should().Be(JobStatus.Succeeded, $"job {jobId} succeeds");
            StreamChecks stream = await StreamChecks.ReadAsync(a.Journal, a.Plan, jobId);
            stream.AppliedSucceeded.Should().Be(1, $"job {jobId} has exactly one applied success");
            stream.MaxRunningAtOnce.Should().BeLessThanOrEqualTo(1, $"job {jobId} never has two running attempts");
            stream.ContiguousSequences.Should().BeTrue();
            stream.Projected.Should().Be(state, $"job {jobId} projects to what the engine reports");
            recordedOnlyStarts += stream.RecordedOnlyStarts;
            string worker = state.Attempts.Single(static x => x.Outcome == AttemptOutcome.Succeeded).Worker!;
            byWorker[worker] = byWorker.GetValueOrDefault(worker) + 1;
        }

        int duplicates = Probe.Invocations.Values.Sum(static n => n - 1);
        Output?.WriteLine($"{jobs.Count} jobs; handler invocations {Probe.Invocations.Values.Sum()} ({duplicates} duplicates); successes by worker: {string.Join(", ", byWorker.Select(static p => $"{p.Key}={p.Value}"))}; record-only claims {recordedOnlyStarts}");
        Probe.Invocations.Keys.Should().BeEquivalentTo(jobs, "at least once: every job's handler ran");
        Probe.Overlaps.Should().BeEmpty("no job's handler ran on two workers at once");
        duplicates.Should().Be(0, "the clock stands still, so no lease expires and a claim is exclusive: no handler runs twice");
    }

    /// <summary>
    /// A lease-renewal interval whose ticks never fall on <see cref="RetryDelay"/>: the renewal clock's timer (armed from the
    /// worker's start, every interval) would otherwise be due at the very retry time, and a test waiting for the timer of
    /// Polly's wait could see that one first, then move the clock on before Polly's timer exists.
    /// </summary>
    private static void OffTheRetryTime(JobWorkerOptions worker) => worker.LeaseRenewalInterval = TimeSpan.FromSeconds(7);

    private static void ConstantRetries(JobHandlerBuilder job)
    {
        job.Retry.MaxRetryAttempts = 3;
        job.Retry.BackoffType = DelayBackoffType.Constant;
        job.Retry.UseJitter = false;
        job.Retry.Delay = RetryDelay;
    }

    private WorkerNode NewNode(Action<JobHandlerBuilder>? handler = null, Action<JobWorkerOptions>? worker = null) =>
        new(Clock, Probe, UseJournal, handler, worker);
}
