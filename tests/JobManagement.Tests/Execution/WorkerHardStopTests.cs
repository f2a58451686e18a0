using JobManagement.Tests.Support;

namespace JobManagement.Tests.Execution;

/// <summary>A worker disposed without a graceful stop (the host gave up): its running attempts are stopped, not left running.</summary>
public sealed class WorkerHardStopTests
{
    [Fact]
    public async Task WorkerDisposedWithoutAStop_CancelsTheRunningHandlersToken_AndRecordsTheAttemptInterrupted()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<BlockingHandler, EmailInput>("send")).StartAsync();
        JobId jobId = await host.CreateAsync("send", new EmailInput("ann"));
        await host.Probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        host.DisposeWorkerWithoutStopping(); // a hard stop: the handler blocks on its gate until its token is cancelled

        JobState state = await host.WaitUntilAsync(jobId, static s => s.Attempts is [{ Outcome: AttemptOutcome.Interrupted }]);
        state.Status.Should().Be(JobStatus.Running, "an interrupted attempt leaves the job to run again");
        state.NextAttemptAt.Should().NotBeNull("it is runnable again at once");
        host.Probe.Calls.Should().Equal("ann:1");
        host.Probe.Gate.Task.IsCompleted.Should().BeFalse("the handler ended through its token, not its gate");
    }
}
