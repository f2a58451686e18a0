using JobManagement.Journal.Conformance.Features;
using JobManagement.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.Tests.Execution;

/// <summary>The worker's journal poll under load: what this process wrote and saw finish costs the poll no read.</summary>
public sealed class WorkerJournalPollTests
{
    [Fact]
    public async Task Poll_AfterMoreJobsFinishedHereThanTheCacheHolds_RebuildsNoneOfThem()
    {
        const int jobs = 60;
        var journal = new HookJournal(new InMemoryJobEventJournal());
        int streamReads = 0;
        journal.OnReadStream = _ => Interlocked.Increment(ref streamReads);
        await using WorkerHost host = new(
            builder => builder.AddHandler<SendEmailHandler, EmailInput, Receipt>("send").Configure(static o => o.StateCacheCapacity = 10),
            journal: journal);
        IJobWorkerStatus status = host.Services.GetRequiredService<IJobWorkerStatus>();
        await host.StartAsync();
        await WorkerHost.EventuallyAsync(() => Task.FromResult(status.GetStatus().LastScanAt is not null), "the worker's first scan ends");
        DateTimeOffset firstScan = status.GetStatus().LastScanAt!.Value;

        // Six times the cache's capacity of jobs run and finish here between two polls.
        for (int i = 0; i < jobs; i++)
        {
            await host.CreateAsync("send", new EmailInput($"to-{i}"));
        }

        await WorkerHost.EventuallyAsync(() => Task.FromResult(host.Probe.Calls.Count == jobs && host.Worker.RunningCount == 0), "every job ran");
        int readsBefore = Volatile.Read(ref streamReads);

        host.Time.Advance(TimeSpan.FromSeconds(5)); // the worker's poll interval in WorkerHost
        await WorkerHost.EventuallyAsync(() => Task.FromResult(status.GetStatus().LastScanAt > firstScan), "the poll ran");

        Volatile.Read(ref streamReads).Should().Be(readsBefore, "the poll read entries this process wrote, whose jobs it saw finish: it rebuilds none of them");
        host.Probe.Calls.Should().HaveCount(jobs, "nothing ran twice");
    }
}
