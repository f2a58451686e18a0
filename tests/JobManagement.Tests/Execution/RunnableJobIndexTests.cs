namespace JobManagement.Tests.Execution;

/// <summary>
/// The worker's index of runnable jobs drops replaced candidates lazily: a queued candidate is live only until a newer one
/// replaces it or its job leaves. These tests hold the index to taking each job once, in order, and never a replaced copy.
/// </summary>
public sealed class RunnableJobIndexTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly JobType Report = JobType.Parse("report");
    private static readonly Func<JobType, bool> AnyType = static _ => true;

    [Fact]
    public void DueJobs_AreTakenHighestPriorityFirstThenOldest_EachOnce()
    {
        var index = new RunnableJobIndex();
        index.Update(Facts("old-low", priority: 0, createdSecondsAgo: 30), Now, Now);
        index.Update(Facts("new-high", priority: 5, createdSecondsAgo: 1), Now, Now);
        index.Update(Facts("old-high", priority: 5, createdSecondsAgo: 20), Now, Now);

        TakeAll(index).Should().Equal("old-high", "new-high", "old-low");
        index.Count.Should().Be(0);
    }

    [Fact]
    public void ReplacedCandidate_IsNotTakenAgain_AndTheReplacementKeepsItsOwnPlace()
    {
        var index = new RunnableJobIndex();
        index.Update(Facts("a", priority: 0, createdSecondsAgo: 10, version: 2), Now, Now);
        index.Update(Facts("b", priority: 0, createdSecondsAgo: 5), Now, Now);
        index.Update(Facts("a", priority: 9, createdSecondsAgo: 10, version: 3), Now, Now); // a's first copy goes stale
        index.Update(Facts("b", priority: 0, createdSecondsAgo: 5, version: 1), Now, Now, force: true); // same version, forced

        TakeAll(index).Should().Equal("a", "b");
        index.Take(Now).Should().BeNull("every queued copy left was stale");
    }

    [Fact]
    public void OlderFacts_AreIgnoredUnlessForced_AndNothingToRunLeavesTheIndex()
    {
        var index = new RunnableJobIndex();
        index.Update(Facts("a", priority: 0, createdSecondsAgo: 10, version: 3), Now, Now);
        index.Update(Facts("a", priority: 0, createdSecondsAgo: 10, version: 2), null, Now); // stale: ignored
        index.Contains(JobId.Parse("a")).Should().BeTrue();

        index.Update(Facts("a", priority: 0, createdSecondsAgo: 10, version: 4), null, Now); // newer, nothing to run
        index.Contains(JobId.Parse("a")).Should().BeFalse();
        index.Take(Now).Should().BeNull("the queued copy went stale when the job left");
    }

    [Fact]
    public void DelayedJob_WaitsUntilDue_AndAReplacementBeforeThenWins()
    {
        var index = new RunnableJobIndex();
        index.Update(Facts("later", priority: 0, createdSecondsAgo: 1, version: 1), Now.AddMinutes(5), Now);
        index.NextDueAt().Should().Be(Now.AddMinutes(5));
        index.Take(Now).Should().BeNull();

        index.Update(Facts("later", priority: 0, createdSecondsAgo: 1, version: 2), Now.AddMinutes(1), Now);
        index.NextDueAt().Should().Be(Now.AddMinutes(1), "the copy due at +5 min is stale");
        index.OldestDueAt(Now.AddMinutes(2)).Should().Be(Now.AddMinutes(1));

        RunnableJobIndex.Candidate taken = index.Take(Now.AddMinutes(2))!;
        taken.Version.Should().Be(2);
        index.Take(Now.AddMinutes(10)).Should().BeNull("the copy due at +5 min is stale, not a second run");
        index.NextDueAt().Should().BeNull();
    }

    [Fact]
    public void BusyJob_LeavesTheIndex_AndTheNextOneIsTaken()
    {
        var index = new RunnableJobIndex();
        index.Update(Facts("busy", priority: 1, createdSecondsAgo: 10), Now, Now);
        index.Update(Facts("free", priority: 0, createdSecondsAgo: 5), Now, Now);

        index.TryTake(Now, AnyType, c => c.JobId == JobId.Parse("busy"))!.JobId.Should().Be(JobId.Parse("free"));
        index.Contains(JobId.Parse("busy")).Should().BeFalse("a job running here leaves; its run puts it back");
    }

    private static List<string> TakeAll(RunnableJobIndex index)
    {
        var taken = new List<string>();
        while (index.Take(Now) is { } candidate)
        {
            taken.Add(candidate.JobId.Value);
        }

        return taken;
    }

    private static JobRunFacts Facts(string id, int priority, int createdSecondsAgo, long version = 1) =>
        new(JobId.Parse(id), Report, JobStatus.Created, priority, Now.AddSeconds(-createdSecondsAgo), version, HandlerDone: false, LastAttempt: null, NextAttemptAt: null, StartedAt: null, RunAt: null, Compensation: null, LastTransitionAt: Now);
}

/// <summary>Test shorthand.</summary>
internal static class RunnableJobIndexTestExtensions
{
    public static RunnableJobIndex.Candidate? Take(this RunnableJobIndex index, DateTimeOffset now) =>
        index.TryTake(now, static _ => true, static _ => false);
}
