namespace JobManagement.Journal.Conformance;

/// <summary>Bad arguments (the checks of <see cref="JournalArguments"/>) and cancellation.</summary>
public abstract partial class JobEventJournalConformanceTests
{
    [SkippableTheory]
    [InlineData("default-job-id", "jobId")]
    [InlineData("null-events", "events")]
    [InlineData("empty-events", "events")]
    [InlineData("null-event", "events")]
    [InlineData("default-event-id", "events")]
    [InlineData("default-event-type", "events")]
    [InlineData("repeated-event-id", "events")]
    public async Task AppendAsync_InvalidArguments_ThrowsArgumentExceptionNamingItAndAppendsNothing(string @case, string paramName)
    {
        JobId job = JobId.Parse("job-1");
        await AppendAsync(job, NewEvent("existing"));
        (JobId JobId, IReadOnlyList<NewJobEvent> Events) call = @case switch
        {
            "default-job-id" => (default, [NewEvent("e1")]),
            "null-events" => (job, null!),
            "empty-events" => (job, []),
            "null-event" => (job, [NewEvent("e1"), null!]),
            "default-event-id" => (job, [NewEvent("e1"), NewEvent("e2") with { EventId = default }]),
            "default-event-type" => (job, [NewEvent("e1") with { EventType = default }]),
            "repeated-event-id" => (job, [NewEvent("e1"), NewEvent("e1")]),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        Func<Task> act = async () => await Sut.AppendAsync(call.JobId, ExpectedStreamVersion.Any, call.Events);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be(paramName);
        (await ReadAllAsync()).Select(static e => e.EventId.Value).Should().Equal("existing");
    }

    [SkippableTheory]
    [InlineData("read-stream.default-job-id", typeof(ArgumentException), "jobId")]
    [InlineData("read-stream.from-sequence-zero", typeof(ArgumentOutOfRangeException), "fromSequence")]
    [InlineData("read-stream.from-sequence-negative", typeof(ArgumentOutOfRangeException), "fromSequence")]
    [InlineData("read-all.from-position-zero", typeof(ArgumentOutOfRangeException), "fromPosition")]
    [InlineData("read-all.max-count-zero", typeof(ArgumentOutOfRangeException), "maxCount")]
    [InlineData("read-all.max-count-negative", typeof(ArgumentOutOfRangeException), "maxCount")]
    [InlineData("find-by-event-id.default", typeof(ArgumentException), "eventId")]
    [InlineData("stream-version.default-job-id", typeof(ArgumentException), "jobId")]
    [InlineData("find-jobs.default-job-type", typeof(ArgumentException), "lookup.JobType")]
    [InlineData("find-jobs.key-without-value", typeof(ArgumentException), "lookup")]
    [InlineData("find-jobs.value-without-key", typeof(ArgumentException), "lookup")]
    [InlineData("find-recorded.null", typeof(ArgumentNullException), "lookup")]
    [InlineData("find-recorded.nothing-to-find-by", typeof(ArgumentException), "lookup")]
    [InlineData("find-recorded.default-event-type", typeof(ArgumentException), "lookup")]
    [InlineData("find-recorded.key-without-value", typeof(ArgumentException), "lookup")]
    [InlineData("find-recorded.value-without-key", typeof(ArgumentException), "lookup")]
    public async Task ReadMembers_InvalidArguments_ThrowArgumentExceptionNamingIt(string @case, Type exceptionType, string paramName)
    {
        await AppendAsync(JobId.Parse("job-1"), JobCreated("c1", "order-fulfillment", ("orderId", "1")), NewEvent("e1"));
        JobType jobType = JobType.Parse("order-fulfillment");
        Func<Task> act = @case switch
        {
            "read-stream.default-job-id" => async () => await Sut.ReadStreamAsync(default).ToListAsync(),
            "read-stream.from-sequence-zero" => async () => await Sut.ReadStreamAsync(JobId.Parse("job-1"), 0).ToListAsync(),
            "read-stream.from-sequence-negative" => async () => await Sut.ReadStreamAsync(JobId.Parse("job-1"), -1).ToListAsync(),
            "read-all.from-position-zero" => async () => await Sut.ReadAllAsync(0, 10),
            "read-all.max-count-zero" => async () => await Sut.ReadAllAsync(1, 0),
            "read-all.max-count-negative" => async () => await Sut.ReadAllAsync(1, -5),
            "find-by-event-id.default" => async () => await Sut.FindByEventIdAsync(default),
            "stream-version.default-job-id" => async () => await Sut.GetStreamVersionAsync(default),
            "find-jobs.default-job-type" => async () => await Sut.FindJobsAsync(new JobLookup(default)),
            "find-jobs.key-without-value" => async () => await Sut.FindJobsAsync(new JobLookup(jobType, "orderId")),
            "find-jobs.value-without-key" => async () => await Sut.FindJobsAsync(new JobLookup(jobType, null, "1")),
            "find-recorded.null" => async () => await Sut.FindRecordedEventsAsync(null!).ToListAsync(),
            "find-recorded.nothing-to-find-by" => async () => await Sut.FindRecordedEventsAsync(new RecordedEventLookup(null)).ToListAsync(),
            "find-recorded.default-event-type" => async () => await Sut.FindRecordedEventsAsync(new RecordedEventLookup(default(EventTypeId))).ToListAsync(),
            "find-recorded.key-without-value" => async () => await Sut.FindRecordedEventsAsync(new RecordedEventLookup(null, "orderId")).ToListAsync(),
            "find-recorded.value-without-key" => async () => await Sut.FindRecordedEventsAsync(new RecordedEventLookup(EventTypeId.Parse("thing.happened"), null, "1")).ToListAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        ArgumentException thrown = (await act.Should().ThrowAsync<ArgumentException>()).Which;

        thrown.Should().BeOfType(exceptionType);
        thrown.ParamName.Should().Be(paramName);
    }

    [SkippableFact]
    public async Task AppendAsync_CancelledToken_ThrowsOperationCanceledAndAppendsNothing()
    {
        JobId job = JobId.Parse("job-1");
        await AppendAsync(job, NewEvent("e1"));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        Func<Task> act = async () => await Sut.AppendAsync(job, ExpectedStreamVersion.Exactly(1), [NewEvent("e2"), NewEvent("e3")], cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await Sut.GetStreamVersionAsync(job)).Should().Be(1);
        (await ReadAllAsync()).Should().ContainSingle();
        (await Sut.FindByEventIdAsync(EventId.Parse("e2"))).Should().BeEmpty();
    }

    [SkippableFact]
    public async Task AppendAsync_CancelledTokenOnNewStream_CreatesNoStream()
    {
        JobId job = JobId.Parse("job-new");
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        Func<Task> act = async () => await Sut.AppendAsync(job, ExpectedStreamVersion.NoStream, [JobCreated("c1", "order-fulfillment")], cancellation.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await Sut.GetStreamVersionAsync(job)).Should().Be(0);
        (await Sut.FindJobsAsync(new JobLookup(JobType.Parse("order-fulfillment")))).Should().BeEmpty();
    }

    [SkippableTheory]
    [InlineData("read-stream")]
    [InlineData("read-all")]
    [InlineData("find-by-event-id")]
    [InlineData("stream-version")]
    [InlineData("find-jobs")]
    [InlineData("find-recorded-events")]
    public async Task ReadMembers_CancelledToken_ThrowOperationCanceled(string member)
    {
        JobId job = JobId.Parse("job-1");
        await AppendAsync(job, JobCreated("c1", "order-fulfillment", ("orderId", "1")), NewEvent("e1") with { Attributes = EventAttributes.Of(("orderId", "1")) });
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();
        CancellationToken token = cancellation.Token;
        Func<Task> act = member switch
        {
            "read-stream" => async () => await Sut.ReadStreamAsync(job, 1, token).ToListAsync(),
            "read-all" => async () => await Sut.ReadAllAsync(1, 10, token),
            "find-by-event-id" => async () => await Sut.FindByEventIdAsync(EventId.Parse("e1"), token),
            "stream-version" => async () => await Sut.GetStreamVersionAsync(job, token),
            "find-jobs" => async () => await Sut.FindJobsAsync(new JobLookup(JobType.Parse("order-fulfillment")), token),
            "find-recorded-events" => async () => await Sut.FindRecordedEventsAsync(new RecordedEventLookup(null, "orderId", "1"), token).ToListAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(member)),
        };

        await act.Should().ThrowAsync<OperationCanceledException>();
    }
}
