using System.Text.Json;
using JobManagement.Tests.Support;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Projection;

/// <summary>The fold of a handler's execution facts: attempts, retries, dead letters, results, progress.</summary>
public sealed class JobStateAttemptTests
{
    private static readonly DateTimeOffset Lease = new(2026, 1, 1, 13, 0, 0, TimeSpan.Zero);

    /// <summary>Runs a handler and then waits for payment.captured: "run a command, then wait for the webhook".</summary>
    private static readonly JobPlan ChargeThenWait = new(
        JobType.Parse("charge-then-wait"),
        new JobPlanBuilder(JobType.Parse("charge-then-wait")).Expect("payment.captured", e => e.CorrelatedOn("orderId")).Build().Expectations,
        failOn: null,
        compensation: null,
        runsHandler: true);

    private static readonly JobPlan HandlerOnly = new(JobType.Parse("resize-image"), [], null, null, runsHandler: true);

    [Fact]
    public void Project_HandlerSucceeds_JobSucceedsWithResultAndAttempt()
    {
        var stream = new StreamBuilder(HandlerOnly).Started()
            .Fact(ExecutionFacts.AttemptStarted(Id("a1"), 1, "worker-1", Lease, Now))
            .Fact(ExecutionFacts.AttemptSucceeded(Id("a1-ok"), 1, JsonSerializer.SerializeToElement(new { width = 640 }), Now));

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Succeeded);
        sut.Transitions[^1].CausedBy.EventId.Should().Be(Id("a1-ok"));
        sut.Result!.Value.GetProperty("width").GetInt32().Should().Be(640);
        JobAttempt attempt = sut.Attempts.Should().ContainSingle().Subject;
        attempt.Should().Match<JobAttempt>(a => a.Number == 1 && a.Worker == "worker-1" && a.Outcome == AttemptOutcome.Succeeded && a.LeaseUntil == Lease);
        attempt.Duration.Should().Be(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Project_HandlerSucceededButWebhookMissing_StaysRunningUntilItArrives()
    {
        var stream = new StreamBuilder(ChargeThenWait).Started()
            .Fact(ExecutionFacts.AttemptStarted(Id("a1"), 1, "worker-1", Lease, Now))
            .Fact(ExecutionFacts.AttemptSucceeded(Id("a1-ok"), 1, null, Now));

        stream.Project().Status.Should().Be(JobStatus.Running, "the command ran; the webhook has not arrived");

        JobState sut = stream.Domain("psp-1", "payment.captured").Project();

        sut.Status.Should().Be(JobStatus.Succeeded);
        sut.Transitions[^1].CausedBy.EventId.Should().Be(Id("psp-1"));
    }

    [Fact]
    public void Project_WebhookBeforeHandler_SucceedsWhenHandlerSucceeds()
    {
        JobState sut = new StreamBuilder(ChargeThenWait).Started().Domain("psp-1", "payment.captured")
            .Fact(ExecutionFacts.AttemptStarted(Id("a1"), 1, "worker-1", Lease, Now))
            .Fact(ExecutionFacts.AttemptSucceeded(Id("a1-ok"), 1, null, Now))
            .Project();

        sut.Status.Should().Be(JobStatus.Succeeded);
        sut.Transitions[^1].CausedBy.EventId.Should().Be(Id("a1-ok"));
    }

    [Fact]
    public void Project_FailureWithRetry_StaysRunningWithNextAttemptTimeThenSucceeds()
    {
        DateTimeOffset retryAt = Lease.AddMinutes(1);
        var stream = new StreamBuilder(HandlerOnly).Started()
            .Fact(ExecutionFacts.AttemptStarted(Id("a1"), 1, "worker-1", Lease, Now))
            .Fact(ExecutionFacts.AttemptFailed(Id("a1-failed"), 1, Failure(), retryAt, Now));

        JobState waiting = stream.Project();

        waiting.Status.Should().Be(JobStatus.Running, "waiting for a retry is Running with a next-attempt time, not a status");
        waiting.NextAttemptAt.Should().Be(retryAt);
        waiting.Attempts.Should().ContainSingle().Which.Failure!.Type.Should().Be(typeof(TimeoutException).FullName);

        JobState sut = stream
            .Fact(ExecutionFacts.AttemptStarted(Id("a2"), 2, "worker-2", Lease, Now))
            .Fact(ExecutionFacts.AttemptSucceeded(Id("a2-ok"), 2, null, Now))
            .Project();

        sut.Status.Should().Be(JobStatus.Succeeded);
        sut.NextAttemptAt.Should().BeNull();
        sut.Attempts.Select(a => a.Outcome).Should().Equal(AttemptOutcome.Failed, AttemptOutcome.Succeeded);
    }

    [Fact]
    public void Project_FailureWithNoRetryLeft_FailsAndDeadLettersWithTheException()
    {
        ExecutionFailure failure = Failure();

        JobState sut = new StreamBuilder(HandlerOnly).Started()
            .Fact(ExecutionFacts.AttemptStarted(Id("a1"), 1, "worker-1", Lease, Now))
            .Fact(ExecutionFacts.AttemptFailed(Id("a1-failed"), 1, failure, retryAt: null, Now))
            .Project();

        sut.Status.Should().Be(JobStatus.Failed);
        sut.IsDeadLettered.Should().BeTrue();
        sut.Failure!.Error.Should().Be(failure);
        sut.Failure.Error!.InnerCauses.Should().ContainSingle().Which.Type.Should().Be(typeof(IOException).FullName);
        sut.Failure.CausedBy.EventId.Should().Be(Id("a1-failed"));
    }

    [Fact]
    public void Project_AbortWhileRunning_InterruptsAttemptAndLateSuccessIsRecordOnly()
    {
        JobState sut = new StreamBuilder(HandlerOnly).Started()
            .Fact(ExecutionFacts.AttemptStarted(Id("a1"), 1, "worker-1", Lease, Now))
            .AbortRequested("customer cancelled")
            .Fact(ExecutionFacts.AttemptSucceeded(Id("a1-ok"), 1, null, Now))
            .Project();

        sut.Status.Should().Be(JobStatus.Aborted);
        sut.Attempts.Should().ContainSingle().Which.Outcome.Should().Be(AttemptOutcome.Interrupted);
        sut.Result.Should().BeNull("a late result after abort is never a second outcome");
        sut.RecordedOnlyCount.Should().Be(1);
    }

    [Fact]
    public void Project_SecondClaimWhileAttemptRuns_IsRecordOnly()
    {
        JobState sut = new StreamBuilder(HandlerOnly).Started()
            .Fact(ExecutionFacts.AttemptStarted(Id("a1"), 1, "worker-1", Lease, Now))
            .Fact(ExecutionFacts.AttemptStarted(Id("a1-again"), 1, "worker-2", Lease, Now))
            .Fact(ExecutionFacts.AttemptSucceeded(Id("a2-ok"), 2, null, Now))
            .Project();

        sut.Attempts.Should().ContainSingle().Which.Worker.Should().Be("worker-1");
        sut.Status.Should().Be(JobStatus.Running, "a result from an attempt that is not the running one changes nothing");
        sut.RecordedOnlyCount.Should().Be(2);
    }

    [Fact]
    public void Project_InterruptedAttempt_IsRunnableAgainAtOnce()
    {
        var stream = new StreamBuilder(HandlerOnly).Started()
            .Fact(ExecutionFacts.AttemptStarted(Id("a1"), 1, "worker-1", Lease, Now))
            .Fact(ExecutionFacts.AttemptInterrupted(Id("a1-stop"), 1, Now));

        JobState sut = stream.Project();

        sut.Status.Should().Be(JobStatus.Running);
        sut.Attempts[0].Outcome.Should().Be(AttemptOutcome.Interrupted);
        sut.NextAttemptAt.Should().Be(stream.Last.RecordedAt);
    }

    [Fact]
    public void Project_ProgressAndLeaseRenewal_VisibleWithEstimatedCompletion()
    {
        DateTimeOffset renewed = Lease.AddMinutes(10);
        var stream = new StreamBuilder(HandlerOnly).Started()
            .Fact(ExecutionFacts.AttemptStarted(Id("a1"), 1, "worker-1", Lease, Now))
            .Fact(ExecutionFacts.LeaseRenewed(Id("a1-lease"), 1, renewed, Now))
            .Fact(ExecutionFacts.Progress(Id("p1"), 0.25, "resized 1 of 4", Now));

        JobState sut = stream.Project();

        sut.Attempts[0].LeaseUntil.Should().Be(renewed);
        sut.Progress.Should().NotBeNull();
        sut.Progress!.Fraction.Should().Be(0.25);
        sut.Progress.Message.Should().Be("resized 1 of 4");
        DateTimeOffset started = sut.Attempts[0].StartedAt;
        sut.Progress.EstimatedCompletionAt.Should().Be(started + ((sut.Progress.At - started) * 4));
    }

    [Fact]
    public void Project_AttemptFactsFoldedOneByOne_EqualProjectingThemAll()
    {
        var stream = new StreamBuilder(ChargeThenWait).Started()
            .Fact(ExecutionFacts.AttemptStarted(Id("a1"), 1, "worker-1", Lease, Now))
            .Fact(ExecutionFacts.Progress(Id("p1"), 0.5, null, Now))
            .Fact(ExecutionFacts.AttemptFailed(Id("a1-failed"), 1, Failure(), Lease, Now))
            .Fact(ExecutionFacts.AttemptStarted(Id("a2"), 2, "worker-1", Lease, Now))
            .Fact(ExecutionFacts.AttemptSucceeded(Id("a2-ok"), 2, JsonSerializer.SerializeToElement(42), Now))
            .Domain("psp-1", "payment.captured");

        JobState folded = JobStateProjector.Initial(stream.Plan, stream.Entries[0]);
        foreach (JobEventLogEntry entry in stream.Entries.Skip(1))
        {
            folded = JobStateProjector.Apply(stream.Plan, folded, entry);
        }

        folded.Should().Be(stream.Project());
        JobManagementJson.Serialize(folded).Should().Equal(JobManagementJson.Serialize(stream.Project()));
    }

    [Fact]
    public void Project_AttemptFactWithoutAttemptNumber_IsCorruption()
    {
        NewJobEvent broken = ExecutionFacts.AttemptStarted(Id("a1"), 1, "worker-1", Lease, Now) with { Attributes = EventAttributes.Empty };
        var stream = new StreamBuilder(HandlerOnly).Started().Fact(broken);

        Action act = () => stream.Project();

        act.Should().Throw<JobJournalCorruptionException>().Which.Sequence.Should().Be(3);
    }

    [Fact]
    public void Validate_PlanThatRunsAHandler_NeedsNoExpectations()
    {
        HandlerOnly.Validate().Should().BeEmpty();
        new JobPlan(JobType.Parse("nothing"), []).Validate().Should().NotBeEmpty();
    }

    private static DateTimeOffset Now => Lease.AddMinutes(-30);

    private static EventId Id(string value) => EventId.Parse(value);

    private static ExecutionFailure Failure()
    {
        try
        {
            try
            {
                throw new IOException("connection reset by peer");
            }
            catch (IOException inner)
            {
                throw new TimeoutException("the image service did not answer", inner);
            }
        }
        catch (TimeoutException exception)
        {
            return ExecutionFailure.From(exception);
        }
    }
}
