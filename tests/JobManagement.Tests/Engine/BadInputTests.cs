using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using EventId = JobManagement.EventId;

namespace JobManagement.Tests.Engine;

/// <summary>
/// DESIGN §8: every public entry point of the engine, the plan builder, the DI builder and the
/// journal rejects bad input with a clear, typed error naming the field, and appends nothing.
/// This file covers the engine and the journal; BadInputTests.Composition.cs covers plans,
/// builders and options.
/// </summary>
public sealed partial class BadInputTests : IAsyncLifetime
{
    private const int MaxPayloadBytes = 64;
    private static readonly JobType OrderType = JobType.Parse("order-fulfillment");
    private static readonly JobId ExistingJob = JobId.Parse("order-1");

    private ServiceProvider _provider = null!;
    private InMemoryJobEventJournal _journal = null!;
    private JobEngine _sut = null!;
    private long _countBefore;

    public async Task InitializeAsync()
    {
        _provider = new ServiceCollection()
            .AddJobEngine(jobs => jobs
                .Configure(options => options.MaxPayloadBytes = MaxPayloadBytes)
                .AddPlan("order-fulfillment", plan => plan.Expect("payment.captured", e => e.CorrelatedOn("orderId"))))
            .Services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        _journal = (InMemoryJobEventJournal)_provider.GetRequiredService<IJobEventJournal>();
        _sut = _provider.GetRequiredService<JobEngine>();
        await _sut.CreateJobAsync(new CreateJobRequest { JobType = OrderType, RequestId = EventId.Parse("req-1"), JobId = ExistingJob, Correlation = EventAttributes.Of(("orderId", "1")) });
        await _sut.IngestAsync(ValidEvent() with { EventId = EventId.Parse("evt-0"), JobId = ExistingJob });
        _countBefore = _journal.Count;
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Theory]
    [InlineData("default-event-id", "EventId")]
    [InlineData("default-type", "Type")]
    [InlineData("execution-type", "Type")]
    [InlineData("execution-type-started", "Type")]
    [InlineData("default-occurred-at", "OccurredAt")]
    [InlineData("default-job-id", "JobId")]
    [InlineData("unrouted-job-id", "JobId")]
    [InlineData("default-task-id", "TaskId")]
    [InlineData("null-attributes", "Attributes")]
    [InlineData("reserved-attribute-type", "Attributes")]
    [InlineData("reserved-attribute-target", "Attributes")]
    [InlineData("payload-over-limit", "Payload")]
    [InlineData("undefined-payload", "Payload")]
    [InlineData("null-observability", "Observability")]
    [InlineData("execution-id-too-long", "Observability")]
    [InlineData("trace-id-too-long", "Observability")]
    [InlineData("span-id-too-long", "Observability")]
    public async Task IngestAsync_BadEvent_RejectedNamingTheFieldAndAppendsNothing(string @case, string field)
    {
        string tooLong = new('x', EventObservability.MaxLength + 1);
        IncomingEvent incoming = @case switch
        {
            "default-event-id" => ValidEvent() with { EventId = default },
            "default-type" => ValidEvent() with { Type = default },
            "execution-type" => ValidEvent() with { Type = ExecutionEventTypes.Created },
            "execution-type-started" => ValidEvent() with { Type = EventTypeId.Parse("job.started"), JobId = ExistingJob },
            "default-occurred-at" => ValidEvent() with { OccurredAt = default },
            "default-job-id" => ValidEvent() with { JobId = default(JobId) },
            "unrouted-job-id" => ValidEvent() with { JobId = JobId.Unrouted },
            "default-task-id" => ValidEvent() with { TaskId = default(TaskId) },
            "null-attributes" => ValidEvent() with { Attributes = null! },
            "reserved-attribute-type" => ValidEvent() with { Attributes = ReservedAttributes("job.type", "order-fulfillment") },
            "reserved-attribute-target" => ValidEvent() with { Attributes = ReservedAttributes("job.target", "order-1") },
            "payload-over-limit" => ValidEvent() with { Payload = JsonOfSize(MaxPayloadBytes + 1) },
            "undefined-payload" => ValidEvent() with { Payload = default(JsonElement) },
            "null-observability" => ValidEvent() with { Observability = null! },
            "execution-id-too-long" => ValidEvent() with { Observability = new EventObservability(ExecutionId: tooLong) },
            "trace-id-too-long" => ValidEvent() with { Observability = new EventObservability(TraceId: tooLong) },
            "span-id-too-long" => ValidEvent() with { Observability = new EventObservability(SpanId: tooLong) },
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        IngestResult result = await _sut.IngestAsync(incoming);

        result.IsRejected.Should().BeTrue();
        JobIngestOutcome outcome = result.Outcomes.Should().ContainSingle().Subject;
        outcome.Status.Should().Be(IngestStatus.Rejected);
        outcome.Field.Should().Be(field);
        outcome.Reason.Should().Contain(field);
        outcome.Entry.Should().BeNull();
        await ShouldHaveAppendedNothingAsync();
    }

    [Fact]
    public async Task IngestAsync_PayloadExactlyAtLimit_IsAccepted()
    {
        IngestResult result = await _sut.IngestAsync(ValidEvent() with { Payload = JsonOfSize(MaxPayloadBytes) });

        result.IsRejected.Should().BeFalse("the limit is inclusive, so the rejection above is about size alone");
        _journal.Count.Should().Be(_countBefore + 1);
    }

    [Fact]
    public async Task IngestAsync_Null_ThrowsArgumentNullException()
    {
        Func<Task> act = async () => await _sut.IngestAsync(null!);

        (await act.Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("incoming");
        await ShouldHaveAppendedNothingAsync();
    }

    [Theory]
    [InlineData("default-job-type", "JobType")]
    [InlineData("default-request-id", "RequestId")]
    [InlineData("default-job-id", "JobId")]
    [InlineData("unrouted-job-id", "JobId")]
    [InlineData("null-correlation", "Correlation")]
    [InlineData("reserved-correlation-key", "Correlation")]
    [InlineData("missing-correlation-value", "Correlation")]
    [InlineData("input-over-limit", "Input")]
    [InlineData("undefined-input", "Input")]
    [InlineData("null-observability", "Observability")]
    [InlineData("trace-id-too-long", "Observability")]
    [InlineData("request-id-used-by-an-event", "RequestId")]
    public async Task CreateJobAsync_BadRequest_ThrowsInvalidJobRequestNamingTheFieldAndAppendsNothing(string @case, string field)
    {
        CreateJobRequest request = @case switch
        {
            "default-job-type" => ValidRequest() with { JobType = default },
            "default-request-id" => ValidRequest() with { RequestId = default },
            "default-job-id" => ValidRequest() with { JobId = default(JobId) },
            "unrouted-job-id" => ValidRequest() with { JobId = JobId.Unrouted },
            "null-correlation" => ValidRequest() with { Correlation = null! },
            "reserved-correlation-key" => ValidRequest() with { Correlation = ReservedAttributes("job.type", "other") },
            "missing-correlation-value" => ValidRequest() with { Correlation = EventAttributes.Of(("customerId", "7")) },
            "input-over-limit" => ValidRequest() with { Input = JsonOfSize(MaxPayloadBytes + 1) },
            "undefined-input" => ValidRequest() with { Input = default(JsonElement) },
            "null-observability" => ValidRequest() with { Observability = null! },
            "trace-id-too-long" => ValidRequest() with { Observability = new EventObservability(TraceId: new string('t', EventObservability.MaxLength + 1)) },
            "request-id-used-by-an-event" => ValidRequest() with { RequestId = EventId.Parse("evt-0") },
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        Func<Task> act = async () => await _sut.CreateJobAsync(request);

        InvalidJobRequestException thrown = (await act.Should().ThrowAsync<InvalidJobRequestException>()).Which;
        thrown.Field.Should().Be(field);
        thrown.ParamName.Should().Be($"request.{field}");
        thrown.Reason.Should().NotBeNullOrWhiteSpace();
        await ShouldHaveAppendedNothingAsync();
    }

    [Fact]
    public async Task CreateJobAsync_UnknownJobType_ThrowsJobTypeNotRegisteredAndAppendsNothing()
    {
        Func<Task> act = async () => await _sut.CreateJobAsync(ValidRequest() with { JobType = JobType.Parse("never-registered") });

        (await act.Should().ThrowAsync<JobTypeNotRegisteredException>()).Which.JobType.Should().Be(JobType.Parse("never-registered"));
        await ShouldHaveAppendedNothingAsync();
    }

    [Fact]
    public async Task CreateJobAsync_JobIdTakenByAnotherRequest_ThrowsJobAlreadyExistsAndAppendsNothing()
    {
        Func<Task> act = async () => await _sut.CreateJobAsync(ValidRequest() with { JobId = ExistingJob });

        JobAlreadyExistsException thrown = (await act.Should().ThrowAsync<JobAlreadyExistsException>()).Which;
        thrown.JobId.Should().Be(ExistingJob);
        thrown.ExistingRequestId.Should().Be(EventId.Parse("req-1"));
        await ShouldHaveAppendedNothingAsync();
    }

    [Fact]
    public async Task CreateJobAsync_Null_ThrowsArgumentNullException()
    {
        Func<Task> act = async () => await _sut.CreateJobAsync(null!);

        (await act.Should().ThrowAsync<ArgumentNullException>()).Which.ParamName.Should().Be("request");
        await ShouldHaveAppendedNothingAsync();
    }

    [Theory]
    [InlineData("start.default-job-id", typeof(ArgumentException), "jobId")]
    [InlineData("start.unrouted-job-id", typeof(ArgumentException), "jobId")]
    [InlineData("start.default-request-id", typeof(ArgumentException), "requestId")]
    [InlineData("start.request-id-of-other-fact", typeof(ArgumentException), "requestId")]
    [InlineData("abort.null-reason", typeof(ArgumentException), "reason")]
    [InlineData("abort.empty-reason", typeof(ArgumentException), "reason")]
    [InlineData("abort.blank-reason", typeof(ArgumentException), "reason")]
    [InlineData("abort.reason-too-long", typeof(ArgumentException), "reason")]
    [InlineData("abort.default-job-id", typeof(ArgumentException), "jobId")]
    [InlineData("compensation.pending-outcome", typeof(ArgumentOutOfRangeException), "outcome")]
    [InlineData("compensation.undefined-outcome", typeof(ArgumentOutOfRangeException), "outcome")]
    [InlineData("compensation.detail-too-long", typeof(ArgumentException), "detail")]
    [InlineData("compensation.default-job-id", typeof(ArgumentException), "jobId")]
    [InlineData("state.default-job-id", typeof(ArgumentException), "jobId")]
    [InlineData("state.unrouted-job-id", typeof(ArgumentException), "jobId")]
    [InlineData("history.default-job-id", typeof(ArgumentException), "jobId")]
    [InlineData("history.from-sequence-zero", typeof(ArgumentOutOfRangeException), "fromSequence")]
    [InlineData("history.max-count-zero", typeof(ArgumentOutOfRangeException), "maxCount")]
    public async Task Commands_BadArgument_ThrowArgumentExceptionNamingItAndAppendNothing(string @case, Type exceptionType, string paramName)
    {
        string tooLong = new('r', new JobEngineOptions().MaxReasonLength + 1);
        Func<Task> act = @case switch
        {
            "start.default-job-id" => async () => await _sut.StartAsync(default),
            "start.unrouted-job-id" => async () => await _sut.StartAsync(JobId.Unrouted),
            "start.default-request-id" => async () => await _sut.StartAsync(ExistingJob, default(EventId)),
            "start.request-id-of-other-fact" => async () => await _sut.StartAsync(ExistingJob, EventId.Parse("req-1")),
            "abort.null-reason" => async () => await _sut.AbortAsync(ExistingJob, null!),
            "abort.empty-reason" => async () => await _sut.AbortAsync(ExistingJob, string.Empty),
            "abort.blank-reason" => async () => await _sut.AbortAsync(ExistingJob, "  \t "),
            "abort.reason-too-long" => async () => await _sut.AbortAsync(ExistingJob, tooLong),
            "abort.default-job-id" => async () => await _sut.AbortAsync(default, "because"),
            "compensation.pending-outcome" => async () => await _sut.RecordCompensationAsync(ExistingJob, CompensationOutcome.Pending),
            "compensation.undefined-outcome" => async () => await _sut.RecordCompensationAsync(ExistingJob, (CompensationOutcome)42),
            "compensation.detail-too-long" => async () => await _sut.RecordCompensationAsync(ExistingJob, CompensationOutcome.Completed, tooLong),
            "compensation.default-job-id" => async () => await _sut.RecordCompensationAsync(default, CompensationOutcome.Completed),
            "state.default-job-id" => async () => await _sut.GetStateAsync(default),
            "state.unrouted-job-id" => async () => await _sut.GetStateAsync(JobId.Unrouted),
            "history.default-job-id" => async () => await _sut.GetHistoryAsync(default),
            "history.from-sequence-zero" => async () => await _sut.GetHistoryAsync(ExistingJob, fromSequence: 0),
            "history.max-count-zero" => async () => await _sut.GetHistoryAsync(ExistingJob, maxCount: 0),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        ArgumentException thrown = (await act.Should().ThrowAsync<ArgumentException>()).Which;

        thrown.Should().BeOfType(exceptionType);
        thrown.ParamName.Should().Be(paramName);
        await ShouldHaveAppendedNothingAsync();
    }

    [Theory]
    [InlineData("start")]
    [InlineData("abort")]
    [InlineData("compensation")]
    public async Task Commands_UnknownJob_ThrowJobNotFoundAndAppendNothing(string command)
    {
        JobId missing = JobId.Parse("no-such-job");
        Func<Task> act = command switch
        {
            "start" => async () => await _sut.StartAsync(missing),
            "abort" => async () => await _sut.AbortAsync(missing, "because"),
            _ => async () => await _sut.RecordCompensationAsync(missing, CompensationOutcome.Completed),
        };

        (await act.Should().ThrowAsync<JobNotFoundException>()).Which.JobId.Should().Be(missing);
        await ShouldHaveAppendedNothingAsync();
    }

    [Theory]
    [InlineData("default-job-id", "jobId")]
    [InlineData("empty-batch", "events")]
    [InlineData("default-event-id", "events")]
    [InlineData("default-event-type", "events")]
    public async Task JournalAppendAsync_BadArgument_ThrowsArgumentExceptionAndAppendsNothing(string @case, string paramName)
    {
        NewJobEvent valid = new() { EventId = EventId.Parse("x1"), EventType = EventTypeId.Parse("thing.happened"), Lane = EventLane.Domain, OccurredAt = DateTimeOffset.UnixEpoch, RecordedAt = DateTimeOffset.UnixEpoch };
        (JobId JobId, NewJobEvent[] Events) call = @case switch
        {
            "default-job-id" => (default, [valid]),
            "empty-batch" => (ExistingJob, []),
            "default-event-id" => (ExistingJob, [valid with { EventId = default }]),
            "default-event-type" => (ExistingJob, [valid with { EventType = default }]),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        Func<Task> act = async () => await _journal.AppendAsync(call.JobId, ExpectedStreamVersion.Any, call.Events);

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be(paramName);
        await ShouldHaveAppendedNothingAsync();
    }

    private static IncomingEvent ValidEvent() => new()
    {
        EventId = EventId.Parse("evt-1"),
        Type = EventTypeId.Parse("payment.captured"),
        OccurredAt = DateTimeOffset.UnixEpoch,
        Attributes = EventAttributes.Of(("orderId", "1")),
    };

    private static CreateJobRequest ValidRequest() => new()
    {
        JobType = OrderType,
        RequestId = EventId.Parse("req-2"),
        Correlation = EventAttributes.Of(("orderId", "2")),
    };

    /// <summary>Attributes with a reserved key: <see cref="EventAttributes.Of"/> refuses them, JSON does not.</summary>
    private static EventAttributes ReservedAttributes(string key, string value) =>
        JsonSerializer.Deserialize<EventAttributes>(JsonSerializer.Serialize(new Dictionary<string, string> { [key] = value, ["orderId"] = "1" }))!;

    /// <summary>A JSON string payload of exactly <paramref name="bytes"/> UTF-8 bytes.</summary>
    private static JsonElement JsonOfSize(int bytes) => JsonSerializer.SerializeToElement(new string('x', bytes - 2));

    private async Task ShouldHaveAppendedNothingAsync()
    {
        _journal.Count.Should().Be(_countBefore, "bad input appends nothing");
        (await _journal.ReadAllAsync(1, 1000)).Should().HaveCount((int)_countBefore);
    }
}
