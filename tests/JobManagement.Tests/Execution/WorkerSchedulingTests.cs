using JobManagement.Tests.Support;

namespace JobManagement.Tests.Execution;

/// <summary>Which job runs when: priority, age, delayed start, global and per-type concurrency.</summary>
public sealed class WorkerSchedulingTests
{
    [Fact]
    public async Task HigherPriorityRunsFirst_ThenOlderJobs()
    {
        await using WorkerHost host = new(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"), worker: static o => o.MaxConcurrency = 1);
        JobId low = await host.CreateAsync("send-email", new EmailInput("low"), priority: 0);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        JobId olderHigh = await host.CreateAsync("send-email", new EmailInput("older-high"), priority: 5);
        host.Time.Advance(TimeSpan.FromMilliseconds(1));
        JobId newerHigh = await host.CreateAsync("send-email", new EmailInput("newer-high"), priority: 5);
        JobId urgent = await host.CreateAsync("send-email", new EmailInput("urgent"), priority: 9);

        await host.StartAsync();
        foreach (JobId jobId in new[] { low, olderHigh, newerHigh, urgent })
        {
            await host.WaitForTerminalAsync(jobId);
        }

        host.Probe.Calls.Select(static c => c.Split(':')[^1]).Should().Equal("urgent", "older-high", "newer-high", "low");
    }

    [Fact]
    public async Task DelayedStart_RunsNotBeforeRunAt_ButEventsCountBefore()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email", job => job.Expect("email.approved"))).StartAsync();
        DateTimeOffset runAt = host.Time.GetUtcNow() + TimeSpan.FromHours(1);

        JobId jobId = await host.CreateAsync("send-email", new EmailInput("later"), runAt: runAt);
        await host.Engine.IngestAsync(new IncomingEvent { EventId = EventId.Parse("approval"), Type = EventTypeId.Parse("email.approved"), JobId = jobId, OccurredAt = host.Time.GetUtcNow() });
        JobState before = (await host.Engine.GetStateAsync(jobId))!;
        before.RunAt.Should().Be(runAt);
        before.Expectations[0].IsSatisfied.Should().BeTrue("events count before the handler's delayed start");
        before.Attempts.Should().BeEmpty();

        host.Time.Advance(TimeSpan.FromMinutes(59));
        (await host.Engine.GetStateAsync(jobId))!.Attempts.Should().BeEmpty("it is not yet due");
        host.Time.Advance(TimeSpan.FromMinutes(1));
        JobState done = await host.WaitForTerminalAsync(jobId);

        done.Status.Should().Be(JobStatus.Succeeded);
        done.Attempts[0].StartedAt.Should().Be(runAt);
    }

    [Fact]
    public async Task PerTypeConcurrency_IsNeverExceeded_WhileOtherTypesStillRun()
    {
        await using WorkerHost host = new(
            jobs => jobs
                .AddHandler<BlockingHandler, EmailInput>("limited", job => job.WithMaxConcurrency(2))
                .AddHandler<SendEmailHandler, EmailInput, Receipt>("free"),
            worker: static o => o.MaxConcurrency = 8);
        List<JobId> limited = [];
        for (int i = 0; i < 6; i++)
        {
            limited.Add(await host.CreateAsync("limited", new EmailInput($"l{i}")));
        }

        await host.StartAsync();
        await host.Probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        JobId free = await host.CreateAsync("free", new EmailInput("f"));
        (await host.WaitForTerminalAsync(free)).Status.Should().Be(JobStatus.Succeeded, "a busy type does not hold up other types");
        host.Probe.Gate.SetResult();
        foreach (JobId jobId in limited)
        {
            (await host.WaitForTerminalAsync(jobId)).Status.Should().Be(JobStatus.Succeeded);
        }

        host.Probe.MaxConcurrent.Should().BeLessThanOrEqualTo(3, "at most 2 'limited' and 1 'free' ran at once");
        host.Probe.Calls.Count(static c => c.StartsWith('l')).Should().Be(6);
    }

    [Fact]
    public async Task GlobalConcurrency_IsNeverExceeded()
    {
        await using WorkerHost host = new(jobs => jobs.AddHandler<BlockingHandler, EmailInput>("blocking"), worker: static o => o.MaxConcurrency = 3);
        List<JobId> jobs = [];
        for (int i = 0; i < 10; i++)
        {
            jobs.Add(await host.CreateAsync("blocking", new EmailInput($"j{i}")));
        }

        await host.StartAsync();
        await host.Probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        host.Probe.Gate.SetResult();
        foreach (JobId jobId in jobs)
        {
            await host.WaitForTerminalAsync(jobId);
        }

        host.Probe.MaxConcurrent.Should().BeInRange(1, 3);
        await WorkerHost.EventuallyAsync(() => Task.FromResult(host.Worker.RunningCount == 0), "every run has been counted out");
    }

    [Fact]
    public async Task SaturatedWorker_WaitsForARunToEnd_WithoutSpinning()
    {
        await using WorkerHost host = new(jobs => jobs.AddHandler<BlockingHandler, EmailInput>("blocking"), worker: static o => o.MaxConcurrency = 1);
        JobId first = await host.CreateAsync("blocking", new EmailInput("first"));
        await host.StartAsync();
        await host.Probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // Created while the only slot is taken: due at once, but it cannot start.
        JobId second = await host.CreateAsync("blocking", new EmailInput("second"));
        await WorkerHost.EventuallyAsync(() => Task.FromResult(host.Worker.WaitingCount == 1), "the second job is due and waits for the only slot");

        // Nothing changes while the one run is blocked: the loop must sleep until that run ends, not
        // go round because the waiting job's due time has passed. Give it many thread-pool turns.
        long passes = host.Worker.LoopPasses;
        for (int turn = 0; turn < 2_000; turn++)
        {
            await Task.Yield();
        }

        (host.Worker.LoopPasses - passes).Should().BeLessThanOrEqualTo(2, "a saturated worker waits to be woken by a finished run");

        host.Probe.Gate.SetResult();
        (await host.WaitForTerminalAsync(first)).Status.Should().Be(JobStatus.Succeeded);
        (await host.WaitForTerminalAsync(second)).Status.Should().Be(JobStatus.Succeeded, "the run that ended took the next job itself");
    }

    [Fact]
    public async Task RunThatEnds_TakesTheNextDueJobItself_HighestPriorityFirst_WithoutALoopPassPerJob()
    {
        await using WorkerHost host = new(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"), worker: static o => o.MaxConcurrency = 1);
        List<JobId> created = [];
        for (int i = 0; i < 40; i++)
        {
            created.Add(await host.CreateAsync("send-email", new EmailInput($"m{i}"), priority: i % 4));
        }

        await host.StartAsync();
        foreach (JobId jobId in created)
        {
            (await host.WaitForTerminalAsync(jobId)).Status.Should().Be(JobStatus.Succeeded);
        }

        // One slot: each run, as it ended, took the best job still due, with no trip through the worker's loop.
        IReadOnlyList<JobEventLogEntry> all = await host.Journal.ReadAllAsync(1, 10_000);
        List<int> claimedPriorities = [.. all.Where(static e => e.EventType == ExecutionEventTypes.AttemptStarted).Select(e => created.IndexOf(e.JobId) % 4)];
        claimedPriorities.Should().HaveCount(40).And.BeInDescendingOrder("highest priority first, also when a run takes the next job itself");
        host.Worker.LoopPasses.Should().BeLessThan(20, "40 jobs ran one after another without the loop going round for each (it did, twice per job, before)");
    }

    [Fact]
    public async Task JobsCreatedBeforeTheWorkerStarted_AreFoundByItsJournalScan()
    {
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        JobId jobId;
        await using (WorkerHost producer = new(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"), time, journal))
        {
            jobId = await producer.CreateAsync("send-email", new EmailInput("queued"));
        }

        await using WorkerHost consumer = await new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"), time, journal).StartAsync();

        (await consumer.WaitForTerminalAsync(jobId)).Status.Should().Be(JobStatus.Succeeded);
    }

    [Fact]
    public async Task JobsWithoutAHandler_AreNeverClaimed()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs
            .AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email")
            .AddPlan("event-only", plan => plan.Expect("thing.happened"))).StartAsync();

        JobId eventOnly = await host.CreateAsync("event-only");
        JobId withHandler = await host.CreateAsync("send-email", new EmailInput("h"));
        await host.WaitForTerminalAsync(withHandler);

        (await host.Engine.GetStateAsync(eventOnly))!.Attempts.Should().BeEmpty();
        (await host.Engine.GetHistoryAsync(eventOnly)).Should().HaveCount(2);
    }

    [Fact]
    public async Task RunAfter_DelaysTheFirstAttemptFromCreation()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email")).StartAsync();
        DateTimeOffset created = host.Time.GetUtcNow();

        JobCreationResult job = await host.Engine.CreateJobAsync(new CreateJobRequest
        {
            JobType = JobType.Parse("send-email"),
            RequestId = EventId.Parse("later-1"),
            Input = System.Text.Json.JsonSerializer.SerializeToElement(new EmailInput("after")),
            RunAfter = TimeSpan.FromMinutes(10),
        });
        host.Time.Advance(TimeSpan.FromMinutes(9));
        (await host.Engine.GetStateAsync(job.JobId))!.Attempts.Should().BeEmpty();
        host.Time.Advance(TimeSpan.FromMinutes(1));
        JobState done = await host.WaitForTerminalAsync(job.JobId);

        job.State.RunAt.Should().Be(created + TimeSpan.FromMinutes(10));
        done.Attempts[0].StartedAt.Should().Be(created + TimeSpan.FromMinutes(10));
    }

    [Fact]
    public async Task RunAtAndRunAfterTogether_AreRejectedNamingTheField_AndNothingIsAppended()
    {
        await using WorkerHost host = new(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"));

        Func<Task> create = async () => await host.Engine.CreateJobAsync(new CreateJobRequest
        {
            JobType = JobType.Parse("send-email"),
            RequestId = EventId.Parse("both"),
            RunAt = host.Time.GetUtcNow(),
            RunAfter = TimeSpan.FromMinutes(1),
        });

        (await create.Should().ThrowAsync<InvalidJobRequestException>()).Which.Field.Should().Be(nameof(CreateJobRequest.RunAfter));
        (await host.Journal.ReadAllAsync(1, 10)).Should().BeEmpty();
    }
}
