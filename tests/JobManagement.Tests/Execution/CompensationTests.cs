using JobManagement.Tests.Support;

namespace JobManagement.Tests.Execution;

/// <summary>The compensation hook run by the worker: Compensating, then terminal with the outcome recorded.</summary>
public sealed class CompensationTests
{
    [Fact]
    public async Task FailedJob_IsCompensatedByItsHandler_ThenEndsFailedWithTheOutcome()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs
            .AddHandler<ThrowingHandler, EmailInput>("charge-card", job => job.WithRetries(0).Plan.CompensateWith("refund"))
            .AddCompensation<RefundHandler, EmailInput>("refund")).StartAsync();

        JobId jobId = await host.CreateAsync("charge-card", new EmailInput("card-1"));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Failed);
        state.Compensation.Should().Match<CompensationState>(c => c.Name == "refund" && c.Outcome == CompensationOutcome.Completed && c.Runs == 1 && c.Worker!.StartsWith("worker-"));
        state.Transitions.Select(static t => t.To).Should().Equal(JobStatus.Created, JobStatus.Running, JobStatus.Compensating, JobStatus.Failed);
        host.Probe.Calls.Should().Contain("refund card-1 after Failed");
    }

    [Fact]
    public async Task AbortedRunningJob_IsCompensated_AndItsHandlersLateOutcomeIsRecordOnly()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs
            .AddHandler<StubbornHandler, EmailInput>("charge-card", job => job.Plan.CompensateWith("refund"))
            .AddCompensation<RefundHandler, EmailInput>("refund")).StartAsync();
        JobId jobId = await host.CreateAsync("charge-card", new EmailInput("card-2"));
        await host.Probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await host.Engine.AbortAsync(jobId, "customer cancelled");
        JobState state = await host.WaitForTerminalAsync(jobId);
        host.Probe.Gate.SetResult(); // the stubborn handler finishes only now
        await WorkerHost.EventuallyAsync(async () => (await host.Engine.GetHistoryAsync(jobId)).Any(static e => e.EventType == ExecutionEventTypes.AttemptSucceeded), "the stubborn handler's success is recorded");
        JobState late = (await host.Engine.GetStateAsync(jobId))!;

        state.Status.Should().Be(JobStatus.Aborted);
        state.AbortReason.Should().Be("customer cancelled");
        state.Compensation!.Outcome.Should().Be(CompensationOutcome.Completed);
        late.Status.Should().Be(JobStatus.Aborted);
        late.RecordedOnlyCount.Should().BeGreaterThan(state.RecordedOnlyCount);
        late.Attempts.Should().ContainSingle().Which.Outcome.Should().Be(AttemptOutcome.Interrupted, "the abort ended the attempt; its success came too late");
        host.Probe.Calls.Should().Contain("refund card-2 after Aborted");
    }

    [Fact]
    public async Task CompensationThatKeepsFailing_IsRecordedAsFailed_RecoveryRequired()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs
            .AddHandler<ThrowingHandler, EmailInput>("charge-card", job => job.WithRetries(0).Plan.CompensateWith("refund"))
            .AddCompensation<RefundHandler, EmailInput>("refund", c => c.WithRetries(2, TimeSpan.Zero))).StartAsync();

        JobId jobId = await host.CreateAsync("charge-card", new EmailInput("refund-fails"));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Failed);
        state.Compensation!.Outcome.Should().Be(CompensationOutcome.Failed);
        state.Compensation.Detail.Should().Contain("gateway down");
        host.Probe.Calls.Count(static c => c.StartsWith("refund refund-fails", StringComparison.Ordinal)).Should().Be(3, "one try and two in-process retries");
    }

    [Fact]
    public async Task CompensationRun_TakenOver_OldRunsOutcomeIsRecordOnly()
    {
        await using WorkerHost host = new(jobs => jobs
            .AddHandler<ThrowingHandler, EmailInput>("charge-card", job => job.WithRetries(0).Plan.CompensateWith("refund"))
            .AddCompensation<RefundHandler, EmailInput>("refund"));
        JobId jobId = await host.CreateAsync("charge-card", new EmailInput("x"));
        await host.Engine.AbortAsync(jobId, "stop");
        AttemptClaim first = await host.Engine.TryClaimCompensationAsync(jobId, "dead-worker", TimeSpan.FromSeconds(30), CancellationToken.None);
        first.Attempt.Should().Be(1);
        (await host.Engine.TryClaimCompensationAsync(jobId, "other", TimeSpan.FromSeconds(30), CancellationToken.None)).Attempt.Should().BeNull("the lease is held");

        host.Time.Advance(TimeSpan.FromSeconds(31));
        AttemptClaim second = await host.Engine.TryClaimCompensationAsync(jobId, "live-worker", TimeSpan.FromSeconds(30), CancellationToken.None);
        (bool lateApplied, _) = await host.Engine.RecordAttemptFactAsync(jobId, ExecutionFacts.CompensationEnded(EventId.Parse("late"), 1, completed: false, "late", host.Time.GetUtcNow()), CancellationToken.None);
        (bool applied, _) = await host.Engine.RecordAttemptFactAsync(jobId, ExecutionFacts.CompensationEnded(EventId.Parse("live"), 2, completed: true, null, host.Time.GetUtcNow()), CancellationToken.None);
        JobState state = (await host.Engine.GetStateAsync(jobId))!;

        second.Attempt.Should().Be(2);
        lateApplied.Should().BeFalse();
        applied.Should().BeTrue();
        state.Status.Should().Be(JobStatus.Aborted);
        state.Compensation.Should().Match<CompensationState>(c => c.Outcome == CompensationOutcome.Completed && c.Runs == 2 && c.Worker == "live-worker");
        JobStateProjector.Project(host.Engine.Plans.Get(JobType.Parse("charge-card")), await host.Engine.GetHistoryAsync(jobId)).Should().Be(state);
    }
}

/// <summary>Refunds, recording what it did; fails for the input "refund-fails".</summary>
public sealed class RefundHandler(HandlerProbe probe) : IJobCompensationHandler<EmailInput>
{
    public ValueTask CompensateAsync(JobCompensationContext<EmailInput> context, CancellationToken cancellationToken)
    {
        probe.Record($"refund {context.Input.To} after {context.Cause}");
        return context.Input.To == "refund-fails" ? throw new HttpRequestException("payment gateway down") : ValueTask.CompletedTask;
    }
}
