using JobManagement.Tests.Support;
using Polly;

namespace JobManagement.Tests.Execution;

/// <summary>Retries through Polly, journalled with their wait; exhausted and non-retryable failures dead-letter; replay.</summary>
public sealed class RetryAndDeadLetterTests
{
    private static void ConstantRetries(JobHandlerBuilder job, int retries)
    {
        job.Retry.MaxRetryAttempts = retries;
        job.Retry.BackoffType = DelayBackoffType.Constant;
        job.Retry.UseJitter = false;
        job.Retry.Delay = TimeSpan.FromSeconds(10);
    }

    [Fact]
    public async Task FailingTwice_IsRetriedAfterPollysDelay_AndEveryAttemptIsJournalled()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email", job => ConstantRetries(job, 3))).StartAsync();
        host.Probe.FailuresLeft = 2;
        DateTimeOffset start = host.Time.GetUtcNow();

        JobId jobId = await host.CreateAsync("send-email", new EmailInput("r@example.com"));
        JobState waiting = await host.WaitUntilAsync(jobId, static s => s.Attempts is [{ Outcome: AttemptOutcome.Failed }]);
        waiting.NextAttemptAt.Should().Be(start + TimeSpan.FromSeconds(10), "the wait Polly chose is journalled as the retry time");
        waiting.Status.Should().Be(JobStatus.Running);

        await host.Time.WaitForTimerAsync(waiting.NextAttemptAt!.Value);
        host.Time.Advance(TimeSpan.FromSeconds(10));
        JobState second = await host.WaitUntilAsync(jobId, static s => s.Attempts is [_, { Outcome: AttemptOutcome.Failed }]);
        await host.Time.WaitForTimerAsync(second.NextAttemptAt!.Value);
        host.Time.Advance(TimeSpan.FromSeconds(10));
        JobState done = await host.WaitForTerminalAsync(jobId);

        done.Status.Should().Be(JobStatus.Succeeded);
        done.Attempts.Select(static a => a.Outcome).Should().Equal(AttemptOutcome.Failed, AttemptOutcome.Failed, AttemptOutcome.Succeeded);
        done.Attempts[0].Failure!.Type.Should().Be(typeof(InvalidOperationException).FullName);
        done.Attempts[0].Failure!.Message.Should().Contain("attempt 1");
        done.Attempts[0].Failure!.StackTrace.Should().Contain(nameof(SendEmailHandler));
        done.Attempts[1].StartedAt.Should().Be(start + TimeSpan.FromSeconds(10));
        done.GetResult<Receipt>()!.Attempt.Should().Be(3);
    }

    [Fact]
    public async Task RetriesExhausted_JobFailsAndIsDeadLettered_WithInnerCauses()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<ThrowingHandler, EmailInput>("throwing", job => job.WithRetries(2, TimeSpan.Zero))).StartAsync();

        JobId jobId = await host.CreateAsync("throwing", new EmailInput("boom"));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Failed);
        state.IsDeadLettered.Should().BeTrue();
        state.Attempts.Should().HaveCount(3).And.OnlyContain(static a => a.Outcome == AttemptOutcome.Failed);
        state.Failure!.Error!.InnerCauses.Should().ContainSingle().Which.Type.Should().Be(typeof(IOException).FullName);
        (await host.Engine.ListDeadLettersAsync()).Select(static s => s.JobId).Should().Equal(jobId);
    }

    [Theory]
    [InlineData("poison")]
    [InlineData("invalid")]
    [InlineData("custom")]
    public async Task NonRetryableFailure_FailsAtTheFirstAttempt(string kind)
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<ThrowingHandler, EmailInput>("throwing", job => job
            .WithRetries(5, TimeSpan.Zero)
            .RetryWhen(static e => e is not TimeoutException))).StartAsync();

        JobId jobId = await host.CreateAsync("throwing", new EmailInput(kind));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Failed);
        state.IsDeadLettered.Should().BeTrue();
        state.Attempts.Should().ContainSingle();
        host.Probe.Calls.Should().Equal($"{kind}:1");
    }

    [Fact]
    public async Task AttemptTimeout_CancelsTheHandler_AndTheAttemptIsRetried()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<HangingHandler, EmailInput>("hanging", job => job
            .WithRetries(1, TimeSpan.Zero)
            .WithAttemptTimeout(TimeSpan.FromMinutes(1)))).StartAsync();

        JobId jobId = await host.CreateAsync("hanging", new EmailInput("t"));
        await host.Probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await host.Time.WaitForTimerAsync(host.Time.GetUtcNow() + TimeSpan.FromMinutes(1));
        host.Time.Advance(TimeSpan.FromMinutes(1));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Status.Should().Be(JobStatus.Succeeded);
        state.Attempts[0].Failure!.Type.Should().Be(typeof(Polly.Timeout.TimeoutRejectedException).FullName);
        state.Attempts[0].Duration.Should().Be(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Replay_StartsANewLinkedJob_AndLeavesTheOriginalUnchanged()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email", job => job.WithRetries(0))).StartAsync();
        host.Probe.FailuresLeft = 1;
        JobId original = await host.CreateAsync("send-email", new EmailInput("again@example.com"), priority: 7);
        JobState failed = await host.WaitForTerminalAsync(original);
        failed.IsDeadLettered.Should().BeTrue();

        JobCreationResult replay = await host.Engine.ReplayAsync(original, EventId.Parse("replay-1"));
        JobState replayed = await host.WaitForTerminalAsync(replay.JobId);
        JobCreationResult again = await host.Engine.ReplayAsync(original, EventId.Parse("replay-1"));

        replay.JobId.Should().NotBe(original);
        replayed.Status.Should().Be(JobStatus.Succeeded);
        replayed.ReplayOf.Should().Be(original);
        replayed.Priority.Should().Be(7);
        replayed.Input!.Value.GetProperty("To").GetString().Should().Be("again@example.com");
        again.Should().Match<JobCreationResult>(r => r.IsDuplicate && r.JobId == replay.JobId);
        (await host.Engine.GetStateAsync(original)).Should().Be(failed, "the original stays terminal and unchanged");
        (await host.Engine.ListDeadLettersAsync()).Select(static s => s.JobId).Should().Equal(original);
    }

    [Fact]
    public async Task Replay_OfAJobThatIsNotDeadLettered_IsRefused()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email")).StartAsync();
        JobId jobId = await host.CreateAsync("send-email", new EmailInput("ok@example.com"));
        await host.WaitForTerminalAsync(jobId);

        Func<Task> replay = async () => await host.Engine.ReplayAsync(jobId);

        (await replay.Should().ThrowAsync<JobNotReplayableException>()).Which.Status.Should().Be(JobStatus.Succeeded);
    }
}
