using JobManagement.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.Tests.Execution;

/// <summary>The worker's public status snapshot, as a health check reads it.</summary>
public sealed class JobWorkerStatusTests
{
    [Fact]
    public async Task GetStatus_WhileOneRunsAndOthersWait_ReportsCountsAndTheOldestDueTime()
    {
        await using WorkerHost host = new(jobs => jobs.AddHandler<BlockingHandler, EmailInput>("blocking"), worker: static o => o.MaxConcurrency = 1);
        IJobWorkerStatus sut = host.Services.GetRequiredService<IJobWorkerStatus>();
        JobWorkerStatus before = sut.GetStatus();
        await host.StartAsync();
        await host.CreateAsync("blocking", new EmailInput("running"));
        await host.Probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        DateTimeOffset secondDue = host.Time.GetUtcNow();
        await host.CreateAsync("blocking", new EmailInput("waiting"));
        host.Time.Advance(TimeSpan.FromSeconds(1));
        await host.CreateAsync("blocking", new EmailInput("waiting-too"));
        await host.CreateAsync("blocking", new EmailInput("delayed"), runAt: host.Time.GetUtcNow() + TimeSpan.FromHours(1));

        await WorkerHost.EventuallyAsync(() => Task.FromResult(sut.GetStatus() is { RunningCount: 1, WaitingCount: 3 }), "the worker published its index");
        JobWorkerStatus status = sut.GetStatus();

        before.Should().Match<JobWorkerStatus>(s => !s.IsRunning && s.LastScanAt == null && s.RunningCount == 0 && s.WaitingCount == 0 && s.OldestWaitingSince == null);
        status.IsRunning.Should().BeTrue();
        status.At.Should().Be(host.Time.GetUtcNow(), "times are on the engine's clock");
        status.LastScanAt.Should().NotBeNull().And.BeOnOrBefore(status.At);
        status.OldestWaitingSince.Should().Be(secondDue, "the oldest job that is due now has waited since it was created; the delayed one is not due");
        await host.StopAsync();
        sut.GetStatus().IsRunning.Should().BeFalse();
    }

    [Fact]
    public async Task GetStatus_NothingDue_HasNoOldestWaitingTime()
    {
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email")).StartAsync();
        IJobWorkerStatus sut = host.Services.GetRequiredService<IJobWorkerStatus>();

        JobId jobId = await host.CreateAsync("send-email", new EmailInput("later"), runAt: host.Time.GetUtcNow() + TimeSpan.FromMinutes(5));
        await WorkerHost.EventuallyAsync(() => Task.FromResult(sut.GetStatus().WaitingCount == 1), "the delayed job is known");

        sut.GetStatus().OldestWaitingSince.Should().BeNull();
        host.Time.Advance(TimeSpan.FromMinutes(5));
        await host.WaitForTerminalAsync(jobId);
        await WorkerHost.EventuallyAsync(() => Task.FromResult(sut.GetStatus() is { WaitingCount: 0, RunningCount: 0, OldestWaitingSince: null }), "nothing is left");
    }

    [Fact]
    public void IJobWorkerStatus_IsRegisteredOnlyWithAWorker()
    {
        var withHandler = new ServiceCollection();
        withHandler.AddSingleton(new HandlerProbe());
        withHandler.AddJobEngine(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"));
        var withoutHandler = new ServiceCollection();
        withoutHandler.AddJobEngine(jobs => jobs.AddPlan(TestPlans.Order));
        using ServiceProvider with = withHandler.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        using ServiceProvider without = withoutHandler.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        with.GetRequiredService<IJobWorkerStatus>().Should().BeSameAs(with.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Single());
        without.GetService<IJobWorkerStatus>().Should().BeNull();
    }

    [Fact]
    public async Task GetStatus_AsSoonAsTheStartReturns_SaysTheWorkerRuns()
    {
        await using WorkerHost host = new(jobs => jobs.AddHandler<BlockingHandler, EmailInput>("blocking"));
        IJobWorkerStatus sut = host.Services.GetRequiredService<IJobWorkerStatus>();

        await host.StartAsync(); // the loop itself starts on a thread of its own

        sut.GetStatus().IsRunning.Should().BeTrue("a health check right after the host started must see the worker running");
    }
}
