using JobManagement.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.Tests.Execution;

/// <summary>Handlers run as jobs: success, results, "run then wait for events", progress, unit of work.</summary>
public sealed class HandlerExecutionTests
{
    [Fact]
    public async Task Handler_Succeeds_JobSucceedsWithTypedResultAndJournalledAttempt()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email")).StartAsync();

        JobId jobId = await host.CreateAsync("send-email", new EmailInput("ada@example.com"));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Succeeded);
        state.GetResult<Receipt>().Should().Be(new Receipt("msg-ada@example.com", 1));
        state.Attempts.Should().ContainSingle().Which.Should().Match<JobAttempt>(a => a.Number == 1 && a.Outcome == AttemptOutcome.Succeeded && a.Worker!.StartsWith("worker-"));
        host.Probe.Calls.Should().Equal($"{jobId}:1:ada@example.com");
        IReadOnlyList<JobEventLogEntry> history = await host.Engine.GetHistoryAsync(jobId);
        history.Select(static e => e.EventType.Value).Should().Equal("job.created", "job.started", "job.attempt.started", "job.attempt.succeeded");
        history.Should().OnlyContain(static e => e.Lane == EventLane.Execution);
    }

    [Fact]
    public async Task EveryAttempt_GetsItsOwnScopeAndHandler_AndTheScopeEndsWithTheAttempt()
    {
        await using WorkerHost host = await new WorkerHost(
            jobs => jobs.AddHandler<ScopeRecordingHandler, EmailInput>("scoped", job =>
            {
                job.Retry.MaxRetryAttempts = 1;
                job.Retry.Delay = TimeSpan.Zero;
            }),
            services: static s => s.AddScoped<AttemptScopeProbe>()).StartAsync();

        JobId jobId = await host.CreateAsync("scoped", new EmailInput("s@example.com"));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Succeeded);
        state.Attempts.Select(static a => a.Outcome).Should().Equal(AttemptOutcome.Failed, AttemptOutcome.Succeeded);
        var scopes = host.Probe.Scopes;
        scopes.Select(static s => s.Attempt).Should().Equal(1, 2);
        scopes[1].Scoped.Should().NotBeSameAs(scopes[0].Scoped, "each attempt resolves its handler from a new scope");
        scopes[1].Handler.Should().NotBeSameAs(scopes[0].Handler, "each attempt gets a new handler");
        scopes.Should().OnlyContain(static s => s.Scoped.Disposed, "an attempt's scope is disposed when the attempt ends");
    }

    [Fact]
    public async Task Handler_ThenExpectedEvent_JobWaitsForTheEventAfterTheHandlerSucceeded()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email", job => job
            .Expect("email.delivered", e => e.CorrelatedOn("to")))).StartAsync();

        JobId jobId = await host.CreateAsync("send-email", new EmailInput("bob@example.com"), correlation: EventAttributes.Of(("to", "bob@example.com")));
        JobState afterHandler = await host.WaitUntilAsync(jobId, static s => s.Attempts.Any(static a => a.Outcome == AttemptOutcome.Succeeded));
        afterHandler.Status.Should().Be(JobStatus.Running, "the handler ran, but the webhook has not arrived");

        await host.Engine.IngestAsync(new IncomingEvent
        {
            EventId = EventId.Parse("webhook-1"),
            Type = EventTypeId.Parse("email.delivered"),
            OccurredAt = host.Time.GetUtcNow(),
            Attributes = EventAttributes.Of(("to", "bob@example.com")),
        });

        JobState done = await host.WaitForTerminalAsync(jobId);
        done.Status.Should().Be(JobStatus.Succeeded);
        done.Attempts.Should().ContainSingle("a satisfied handler never runs again");
    }

    [Fact]
    public async Task Handler_EmitsTheEventItsPlanExpects_JobSucceeds()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<SelfConfirmingHandler, EmailInput>("confirm", job => job.Expect("email.confirmed"))).StartAsync();

        JobId jobId = await host.CreateAsync("confirm", new EmailInput("c@example.com"));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Succeeded);
        state.Expectations.Should().ContainSingle().Which.IsSatisfied.Should().BeTrue();
        (await host.Engine.GetHistoryAsync(jobId)).Should().Contain(static e => e.Lane == EventLane.Domain && e.EventType.Value == "email.confirmed");
    }

    [Fact]
    public async Task Progress_FromAChattyHandler_IsThrottledAndTheLatestIsKept()
    {
        await using WorkerHost host = await new WorkerHost(
            jobs => jobs.AddHandler<ChattyHandler, EmailInput>("chatty"),
            worker: static o => o.ProgressInterval = TimeSpan.FromSeconds(1)).StartAsync();

        JobId jobId = await host.CreateAsync("chatty", new EmailInput("x"));
        JobState state = await host.WaitForTerminalAsync(jobId);

        IReadOnlyList<JobEventLogEntry> history = await host.Engine.GetHistoryAsync(jobId);
        history.Count(static e => e.EventType == ExecutionEventTypes.Progress).Should().Be(2, "the first report is written, the other 99 within one interval collapse into the last one");
        state.Progress.Should().NotBeNull();
        state.Progress!.Fraction.Should().Be(0.5);
        state.Progress.Message.Should().Be("step 100");
        int progressAt = history.ToList().FindLastIndex(static e => e.EventType == ExecutionEventTypes.Progress);
        history[progressAt + 1].EventType.Should().Be(ExecutionEventTypes.AttemptSucceeded, "pending progress is written before the outcome");
    }

    [Fact]
    public async Task UnitOfWork_CommitsOnSuccessAndRollsBackOnFailure()
    {
        await using WorkerHost host = await new WorkerHost(
            jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email", job => job.WithRetries(1, TimeSpan.Zero)),
            services: static s => s.AddScoped<IJobUnitOfWork, RecordingUnitOfWork>()).StartAsync();
        host.Probe.FailuresLeft = 1;

        JobId jobId = await host.CreateAsync("send-email", new EmailInput("u@example.com"));
        (await host.WaitForTerminalAsync(jobId)).Status.Should().Be(JobStatus.Succeeded);

        host.Probe.Calls.Where(static c => !c.Contains(':')).Should().Equal("begin 1", "rollback", "begin 2", "commit");
    }

    [Fact]
    public async Task WaitAsync_ReturnsTheTerminalState_AndWatchAsyncStreamsEveryVersionInOrder()
    {
        await using WorkerHost host = new(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"));
        JobId jobId = await host.CreateAsync("send-email", new EmailInput("w@example.com"));
        List<long> versions = [];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task watching = Task.Run(async () =>
        {
            await foreach (JobState state in host.Engine.WatchAsync(jobId, timeout.Token))
            {
                versions.Add(state.Version);
            }
        });

        await host.StartAsync();
        JobState terminal = await host.Engine.WaitAsync(jobId, timeout.Token);
        await watching;

        terminal.Status.Should().Be(JobStatus.Succeeded);
        versions.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        versions[^1].Should().Be(terminal.Version);
    }

    [Fact]
    public async Task WatchAsync_UnknownJob_ThrowsNotFound()
    {
        await using WorkerHost host = new(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"));

        Func<Task> watch = async () => await host.Engine.WaitAsync(JobId.Parse("nope"));

        await watch.Should().ThrowAsync<JobNotFoundException>();
    }

    [Fact]
    public async Task Handler_StartsChildJobs_ParentWaitingForChildrenSucceedsAfterThem()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs
            .AddHandler<FanOutHandler, EmailInput>("fan-out", job => job.Plan.WaitForChildren())
            .AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email", job => job.WithRetries(1, TimeSpan.Zero))).StartAsync();
        host.Probe.FailuresLeft = 1; // the first child fails once, then succeeds on retry

        JobId parent = await host.CreateAsync("fan-out", new EmailInput("p"));
        JobState afterHandler = await host.WaitUntilAsync(parent, static s => s.Attempts.Any(static a => a.Outcome == AttemptOutcome.Succeeded));
        afterHandler.Children.Should().HaveCount(2);

        JobState done = await host.WaitUntilAsync(parent, static s => s.IsTerminal || s.Children.All(static c => c.Status is not null));
        foreach (JobChild child in done.Children)
        {
            (await host.WaitForTerminalAsync(child.ChildJobId)).ParentJobId.Should().Be(parent);
        }

        JobState final = await host.WaitForTerminalAsync(parent);
        final.Status.Should().Be(JobStatus.Succeeded);
        final.Children.Should().OnlyContain(static c => c.Status == JobStatus.Succeeded);
    }
}
