using System.Collections.Concurrent;
using JobManagement.Tests.Support;

namespace JobManagement.Tests.Execution;

/// <summary>
/// A queue longer than the engine keeps folds for, on the in-memory journal: jobs behind it wait without their folds
/// (JobStateCache.ShortQueue), and the worker runs every one of them once, announcing each one's success once.
/// </summary>
public sealed class WorkerLongQueueTests
{
    [Fact]
    public async Task LongQueueOnTheInMemoryJournal_EveryJobRunsOnce_AndEachSuccessIsAnnouncedOnce()
    {
        int jobs = JobStateCache.ShortQueue * 2 + 50;
        await using WorkerHost host = new(builder => builder.AddHandler<SendEmailHandler, EmailInput, Receipt>("send"));
        host.Journal.Should().BeOfType<InMemoryJobEventJournal>();
        var successes = new SuccessCounter();
        host.Engine.Changes.AddListener(successes);
        var created = new List<JobId>();
        for (int i = 0; i < jobs; i++)
        {
            created.Add(await host.CreateAsync("send", new EmailInput($"to-{i}")));
        }

        host.Engine.KnownVersion(created[^1]).Should().Be(2, "a job behind the long queue is remembered without its fold");

        await host.StartAsync();
        await WorkerHost.EventuallyAsync(() => Task.FromResult(host.Probe.Calls.Count == jobs && host.Worker.RunningCount == 0), "every job ran");

        host.Probe.Calls.Should().OnlyHaveUniqueItems().And.HaveCount(jobs, "nothing ran twice");
        successes.ByJob.Should().HaveCount(jobs).And.OnlyContain(pair => pair.Value == 1, "each success is announced once");
        foreach (JobId jobId in new[] { created[0], created[JobStateCache.ShortQueue], created[^1] })
        {
            JobState state = (await host.Engine.GetStateAsync(jobId))!;
            state.Status.Should().Be(JobStatus.Succeeded);
            state.Attempts.Should().ContainSingle();
            state.Should().Be(await host.Journal.ProjectAsync(host.Engine.Plans.Get(state.JobType), jobId));
        }
    }

    /// <summary>Counts, per job, the announced moves into Succeeded.</summary>
    private sealed class SuccessCounter : IJobChangeListener
    {
        public ConcurrentDictionary<JobId, int> ByJob { get; } = new();

        public bool IsInterestedIn(JobPlan plan, JobStatus status) => status == JobStatus.Succeeded;

        public void OnChanged(JobSlot slot, JobStatus? statusBefore) => ByJob.AddOrUpdate(slot.JobId, 1, static (_, count) => count + 1);
    }
}
