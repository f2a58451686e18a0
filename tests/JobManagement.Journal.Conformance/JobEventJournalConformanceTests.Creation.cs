namespace JobManagement.Journal.Conformance;

/// <summary>
/// One job per creation: the event id of a <c>job.created</c> (its request's id) creates at most one job, whatever the
/// stream, and is refused when any entry of another stream already carries it.
/// </summary>
public abstract partial class JobEventJournalConformanceTests
{
    [SkippableTheory]
    [InlineData("one event")]
    [InlineData("batch")]
    [InlineData("existing stream")]
    public async Task AppendAsync_JobCreatedWhoseIdCreatedAnotherJob_ThrowsNamingThatJob_AndAppendsNothing(string shape)
    {
        JobId first = JobId.Parse("job-a");
        JobId second = JobId.Parse("job-b");
        await Sut.AppendAsync(first, ExpectedStreamVersion.NoStream, [JobCreated("req-1", "order", ("orderId", "1"))]);
        if (shape == "existing stream")
        {
            await AppendAsync(second, NewEvent("before"));
        }

        int count = (await ReadAllAsync()).Count;
        Func<Task> act = AppendCreation(shape, second, JobCreated("req-1", "order", ("orderId", "2")));

        JobCreationConflictException thrown = (await act.Should().ThrowAsync<JobCreationConflictException>()).Which;
        thrown.ExistingJobId.Should().Be(first);
        thrown.JobId.Should().Be(second);
        thrown.EventId.Should().Be(EventId.Parse("req-1"));
        (await ReadAllAsync()).Should().HaveCount(count, "the whole append is refused");
        (await ReadStreamAsync(second)).Select(static e => e.EventId.Value).Should().Equal(shape == "existing stream" ? ["before"] : []);
        (await Sut.GetStreamVersionAsync(second)).Should().Be(shape == "existing stream" ? 1 : 0);
        (await Sut.FindByEventIdAsync(EventId.Parse("req-1"))).Should().ContainSingle().Which.JobId.Should().Be(first);
        (await Sut.FindJobsAsync(new JobLookup(JobType.Parse("order")))).Should().Equal(first);
    }

    [SkippableFact]
    public async Task AppendAsync_JobCreatedRedeliveredToItsOwnStream_IsADuplicate()
    {
        JobId job = JobId.Parse("job-a");
        NewJobEvent created = JobCreated("req-1", "order", ("orderId", "1"));
        AppendResult first = await Sut.AppendAsync(job, ExpectedStreamVersion.NoStream, [created, Started("req-1-start")]);

        AppendResult batch = await Sut.AppendAsync(job, ExpectedStreamVersion.NoStream, [created, Started("req-1-start")]);
        AppendResult single = await Sut.AppendAsync(job, ExpectedStreamVersion.NoStream, created);

        foreach (AppendResult again in new[] { batch, single })
        {
            again.AllDuplicates.Should().BeTrue();
            again.StreamVersion.Should().Be(2);
            again.Outcomes.Should().OnlyContain(static o => !o.IsConflict);
            again.Outcomes[0].Entry.Position.Should().Be(first.Outcomes[0].Entry.Position);
        }

        (await ReadAllAsync()).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task AppendAsync_DomainEventsSharingACreationsId_AreAppendedToEveryStream()
    {
        // (A domain event recorded before the creation, with its id, refuses the creation: see the test below.)
        JobId created = JobId.Parse("job-a");
        JobId later = JobId.Parse("job-c");
        JobId latest = JobId.Parse("job-d");

        AppendResult creation = await Sut.AppendAsync(created, ExpectedStreamVersion.NoStream, [JobCreated("req-1", "order")]);
        AppendResult fannedOut = await AppendAsync(later, NewEvent("req-1"));
        AppendResult unrouted = await AppendAsync(JobId.Unrouted, NewEvent("req-1"));
        AppendResult fannedOutAgain = await AppendAsync(latest, NewEvent("req-1"));

        new[] { creation, fannedOut, unrouted, fannedOutAgain }.Should().OnlyContain(static r => !r.Outcomes[0].IsDuplicate, "only a job.created is refused");
        (await Sut.FindByEventIdAsync(EventId.Parse("req-1"))).Select(static e => e.JobId).Should().Equal(created, later, JobId.Unrouted, latest);
    }

    [SkippableTheory]
    [InlineData("one event")]
    [InlineData("batch")]
    [InlineData("existing stream")]
    public async Task AppendAsync_JobCreatedWhoseIdIsADomainEventsElsewhere_ThrowsNamingTheOldestEntry_AndAppendsNothing(string shape)
    {
        JobId oldest = JobId.Parse("job-b");
        JobId fannedOut = JobId.Parse("job-c");
        JobId creating = JobId.Parse("job-a");
        await AppendAsync(oldest, NewEvent("req-1", "payment.captured"));
        await AppendAsync(fannedOut, NewEvent("req-1", "payment.captured"));
        if (shape == "existing stream")
        {
            await AppendAsync(creating, NewEvent("before"));
        }

        int count = (await ReadAllAsync()).Count;
        Func<Task> act = AppendCreation(shape, creating, JobCreated("req-1", "order"));

        JobCreationConflictException thrown = (await act.Should().ThrowAsync<JobCreationConflictException>()).Which;
        thrown.ExistingJobId.Should().Be(oldest);
        thrown.ExistingEventType.Should().Be(EventTypeId.Parse("payment.captured"));
        thrown.IsAlreadyCreated.Should().BeFalse();
        thrown.JobId.Should().Be(creating);
        thrown.Message.Should().Contain("payment.captured").And.Contain("job-b");
        (await ReadAllAsync()).Should().HaveCount(count, "the whole append is refused");
        (await Sut.GetStreamVersionAsync(creating)).Should().Be(shape == "existing stream" ? 1 : 0);
        (await Sut.FindByEventIdAsync(EventId.Parse("req-1"))).Select(static e => e.JobId).Should().Equal(oldest, fannedOut);
        (await Sut.FindJobsAsync(new JobLookup(JobType.Parse("order")))).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AppendAsync_JobCreatedWhoseIdIsAnExecutionFactsElsewhere_ThrowsNamingIt_AndAppendsNothing()
    {
        JobId other = JobId.Parse("job-b");
        await Sut.AppendAsync(other, ExpectedStreamVersion.NoStream, [JobCreated("req-0", "order"), Started("req-1")]);
        int count = (await ReadAllAsync()).Count;

        Func<Task> act = async () => await Sut.AppendAsync(JobId.Parse("job-a"), ExpectedStreamVersion.NoStream, [JobCreated("req-1", "order")]);

        JobCreationConflictException thrown = (await act.Should().ThrowAsync<JobCreationConflictException>()).Which;
        thrown.ExistingJobId.Should().Be(other);
        thrown.ExistingEventType.Should().Be(ExecutionEventTypes.Started);
        (await ReadAllAsync()).Should().HaveCount(count);
    }

    [SkippableFact]
    public async Task AppendAsync_JobCreatedRedeliveredToItsOwnStream_AfterItsIdWasFannedOut_IsADuplicate()
    {
        JobId job = JobId.Parse("job-a");
        NewJobEvent created = JobCreated("req-1", "order");
        await Sut.AppendAsync(job, ExpectedStreamVersion.NoStream, [created]);
        await AppendAsync(JobId.Parse("job-b"), NewEvent("req-1", "payment.captured"));

        AppendResult batch = await Sut.AppendAsync(job, ExpectedStreamVersion.NoStream, [created]);
        AppendResult single = await Sut.AppendAsync(job, ExpectedStreamVersion.NoStream, created);

        batch.AllDuplicates.Should().BeTrue("its own stream holds it: a duplicate, whatever other streams hold");
        single.AllDuplicates.Should().BeTrue();
        (await ReadAllAsync()).Should().HaveCount(2);
    }

    [SkippableFact]
    public async Task AppendAsync_ManyStreamsCreateWithOneIdAtOnce_ExactlyOneWins_AndTheRestOfTheBurstIsUnharmed()
    {
        const int Rounds = 5;
        const int Creators = 12;
        for (int round = 0; round < Rounds; round++)
        {
            string requestId = $"req-{round}";
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Task<(JobId Stream, JobCreationConflictException? Lost)>[] creators = [.. Enumerable.Range(0, Creators).Select(i => Task.Run(async () =>
            {
                JobId stream = JobId.Parse($"job-{round}-{i}");
                await start.Task;
                try
                {
                    await Sut.AppendAsync(stream, ExpectedStreamVersion.NoStream, [JobCreated(requestId, "order"), Started($"{requestId}-start")]);
                    return (stream, (JobCreationConflictException?)null);
                }
                catch (JobCreationConflictException lost)
                {
                    return (stream, lost);
                }
            }))];

            // Unrelated appends in the same burst (the same group commit, for a journal that has one): none may fail.
            Task<AppendResult>[] bystanders = [.. Enumerable.Range(0, Creators).Select(i => Task.Run(async () =>
            {
                await start.Task;
                return await Sut.AppendAsync(JobId.Parse($"other-{round}-{i}"), ExpectedStreamVersion.NoStream, [NewEvent($"other-{round}-{i}")]);
            }))];
            start.SetResult();

            (JobId Stream, JobCreationConflictException? Lost)[] results = await Task.WhenAll(creators).WaitAsync(SafetyTimeout);
            AppendResult[] unharmed = await Task.WhenAll(bystanders).WaitAsync(SafetyTimeout);

            JobId winner = results.Should().ContainSingle(static r => r.Lost == null, $"round {round}: one request creates one job").Subject.Stream;
            foreach ((JobId stream, JobCreationConflictException? lost) in results.Where(static r => r.Lost is not null))
            {
                lost!.ExistingJobId.Should().Be(winner);
                lost.JobId.Should().Be(stream);
                (await Sut.GetStreamVersionAsync(stream)).Should().Be(0, "a refused creation leaves no stream");
            }

            unharmed.Should().OnlyContain(static r => r.StreamVersion == 1 && !r.Outcomes[0].IsDuplicate);
            (await Sut.FindByEventIdAsync(EventId.Parse(requestId))).Should().ContainSingle().Which.JobId.Should().Be(winner);
        }

        (await ReadAllAsync()).Should().HaveCount(Rounds * (2 + Creators));
    }

    /// <summary>Appends a <c>job.created</c> in one of the test shapes: alone, first of a batch, or after another event of an existing stream.</summary>
    private Func<Task> AppendCreation(string shape, JobId stream, NewJobEvent created) => shape switch
    {
        "one event" => async () => await Sut.AppendAsync(stream, ExpectedStreamVersion.NoStream, created),
        "batch" => async () => await Sut.AppendAsync(stream, ExpectedStreamVersion.NoStream, [created, Started("req-1-start")]),
        _ => async () => await Sut.AppendAsync(stream, ExpectedStreamVersion.Any, [NewEvent("after"), created]),
    };

    /// <summary>A <c>job.started</c> execution fact.</summary>
    private static NewJobEvent Started(string eventId) =>
        NewEvent(eventId, ExecutionEventTypes.Started.Value) with { Lane = EventLane.Execution };
}
