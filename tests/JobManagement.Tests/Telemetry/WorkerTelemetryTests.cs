using System.Diagnostics;
using JobManagement.Tests.Execution;
using JobManagement.Tests.Support;
using JobManagement.Tests.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace JobManagement.Tests.Telemetry;

/// <summary>
/// The worker's spans, measurements, gauges and log scopes, captured with <see cref="ActivityListener"/>,
/// <see cref="System.Diagnostics.Metrics.MeterListener"/> and a capturing logger. Spans are told apart by
/// job id (listeners are process-wide), measurements by the meter factory each host was given.
/// </summary>
public sealed class WorkerTelemetryTests
{
    private const string Attempt = JobManagementDiagnostics.Names.AttemptSpan;

    [Fact]
    public async Task Attempt_OfAJobCreatedInsideATrace_IsARootSpanLinkedToThatTrace()
    {
        using var spans = new SpanCollector();
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email")).StartAsync();
        using Activity request = StartRequest();

        JobId jobId = await host.CreateAsync("send-email", new EmailInput("traced@example.com"));
        request.Stop();
        await host.WaitForTerminalAsync(jobId);

        Activity span = (await spans.WaitForAsync(Attempt, "job.id", jobId.ToString())).Should().ContainSingle().Subject;
        span.Kind.Should().Be(ActivityKind.Consumer);
        span.ParentSpanId.Should().Be(default(ActivitySpanId), "an attempt is background work: linked to the trace that created the job, not a child of it");
        span.TraceId.Should().NotBe(request.TraceId);
        span.GetTagItem("job.type").Should().Be("send-email");
        span.GetTagItem("job.attempt").Should().Be(1);
        span.GetTagItem("job.attempt.outcome").Should().Be("succeeded");
        span.Status.Should().Be(ActivityStatusCode.Unset);
        ActivityLink link = span.Links.Should().ContainSingle().Subject;
        link.Context.TraceId.Should().Be(request.TraceId);
        link.Context.SpanId.Should().Be(request.SpanId);
    }

    [Fact]
    public async Task Attempt_AfterARestartWithANewEngineOverTheSameJournal_StillLinksToTheCreatingTrace()
    {
        using var spans = new SpanCollector();
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        JobId jobId;
        ActivityTraceId createdIn;
        await using (var before = new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"), time, journal))
        {
            using Activity request = StartRequest();
            jobId = await before.CreateAsync("send-email", new EmailInput("restart@example.com"));
            createdIn = request.TraceId;
        }

        await using WorkerHost after = await new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"), time, journal).StartAsync();
        await after.WaitForTerminalAsync(jobId);

        Activity span = (await spans.WaitForAsync(Attempt, "job.id", jobId.ToString())).Should().ContainSingle().Subject;
        span.Links.Should().ContainSingle().Which.Context.TraceId.Should().Be(createdIn);
    }

    [Fact]
    public async Task Attempt_OfAJobCreatedWithoutATrace_HasNoLink()
    {
        using var spans = new SpanCollector();
        await using WorkerHost host = await new WorkerHost(jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email")).StartAsync();

        JobId jobId = await host.CreateAsync("send-email", new EmailInput("untraced@example.com"));
        await host.WaitForTerminalAsync(jobId);

        (await spans.WaitForAsync(Attempt, "job.id", jobId.ToString())).Should().ContainSingle().Which.Links.Should().BeEmpty();
    }

    [Fact]
    public async Task RetriesExhausted_EachAttemptHasItsOutcome_DurationRecordedOncePerAttempt_DeadLetteredCountedOnce()
    {
        using var spans = new SpanCollector();
        using var meters = new TestMeterFactory();
        using var measurements = new MeasurementCollector(meters);
        await using WorkerHost host = await new WorkerHost(
            jobs => jobs.AddHandler<ThrowingHandler, EmailInput>("throwing", job => job.WithRetries(2, TimeSpan.Zero)),
            services: s => s.AddSingleton<System.Diagnostics.Metrics.IMeterFactory>(meters)).StartAsync();

        JobId jobId = await host.CreateAsync("throwing", new EmailInput("boom"));
        JobState state = await host.WaitForTerminalAsync(jobId);
        IReadOnlyList<Activity> attempts = await spans.WaitForAsync(Attempt, "job.id", jobId.ToString(), count: 3);

        state.IsDeadLettered.Should().BeTrue();
        attempts.OrderBy(static s => (int)s.GetTagItem("job.attempt")!).Select(static s => s.GetTagItem("job.attempt.outcome")).Should().Equal("retrying", "retrying", "failed");
        attempts.Should().OnlyContain(static s => s.Status == ActivityStatusCode.Error && (string)s.GetTagItem("error.type")! == "System.InvalidOperationException");
        await WorkerHost.EventuallyAsync(() => Task.FromResult(measurements.Values(JobManagementDiagnostics.Names.AttemptDuration).Count >= 3), "three attempt durations are recorded");
        measurements.Values(JobManagementDiagnostics.Names.AttemptDuration, ("outcome", "retrying")).Should().HaveCount(2);
        measurements.Values(JobManagementDiagnostics.Names.AttemptDuration, ("outcome", "failed"), ("job.type", "throwing")).Should().ContainSingle();
        measurements.Values(JobManagementDiagnostics.Names.AttemptDuration).Should().HaveCount(3);
        measurements.Sum(JobManagementDiagnostics.Names.Attempts, ("job.type", "throwing")).Should().Be(3);
        measurements.Sum(JobManagementDiagnostics.Names.JobsDeadLettered, ("job.type", "throwing")).Should().Be(1);
        measurements.Sum(JobManagementDiagnostics.Names.JobsCompleted, ("job.status", "failed")).Should().Be(1, "jobs.completed already counts failed jobs; dead letters are the subset with no retry left");
        measurements.TagKeys().Should().BeSubsetOf(["outcome", "job.type", "job.status"], "metrics never carry job ids");
    }

    [Fact]
    public async Task QueueWait_OfAJobThatWaitedForTheWorker_IsTheClocksAdvance()
    {
        using var meters = new TestMeterFactory();
        using var measurements = new MeasurementCollector(meters);
        await using WorkerHost host = new(
            jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"),
            services: s => s.AddSingleton<System.Diagnostics.Metrics.IMeterFactory>(meters));
        JobId jobId = await host.CreateAsync("send-email", new EmailInput("queued@example.com"));

        host.Time.Advance(TimeSpan.FromSeconds(90));
        await host.StartAsync();
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Attempts[0].StartedAt.Should().Be(state.CreatedAt + TimeSpan.FromSeconds(90));
        measurements.Values(JobManagementDiagnostics.Names.QueueWait, ("job.type", "send-email")).Should().Equal([90d]);
        await WorkerHost.EventuallyAsync(() => Task.FromResult(measurements.Values(JobManagementDiagnostics.Names.AttemptDuration).Count == 1), "the attempt's duration is recorded");
        measurements.Values(JobManagementDiagnostics.Names.AttemptDuration, ("outcome", "succeeded")).Should().Equal([0d], "the manual clock did not move while the handler ran");
    }

    [Fact]
    public async Task QueueWait_OfADelayedJob_CountsFromItsRunAt()
    {
        using var meters = new TestMeterFactory();
        using var measurements = new MeasurementCollector(meters);
        await using WorkerHost host = await new WorkerHost(
            jobs => jobs.AddHandler<SendEmailHandler, EmailInput, Receipt>("send-email"),
            services: s => s.AddSingleton<System.Diagnostics.Metrics.IMeterFactory>(meters)).StartAsync();
        DateTimeOffset runAt = host.Time.GetUtcNow() + TimeSpan.FromHours(1);

        JobId jobId = await host.CreateAsync("send-email", new EmailInput("later@example.com"), runAt: runAt);
        host.Time.Advance(TimeSpan.FromMinutes(61));
        JobState state = await host.WaitForTerminalAsync(jobId);

        state.Attempts[0].StartedAt.Should().Be(runAt + TimeSpan.FromMinutes(1));
        measurements.Values(JobManagementDiagnostics.Names.QueueWait).Should().Equal([60d], "it became runnable at its run-at, and ran when the clock got past it");
    }

    [Fact]
    public async Task Gauges_ReportRunningAndWaitingJobsOfThisWorker()
    {
        using var meters = new TestMeterFactory();
        using var measurements = new MeasurementCollector(meters);
        await using WorkerHost host = await new WorkerHost(
            jobs => jobs.AddHandler<BlockingHandler, EmailInput>("blocking"),
            worker: static o => o.MaxConcurrency = 1,
            services: s => s.AddSingleton<System.Diagnostics.Metrics.IMeterFactory>(meters)).StartAsync();

        JobId first = await host.CreateAsync("blocking", new EmailInput("one"));
        await host.Probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await host.CreateAsync("blocking", new EmailInput("two"));
        await host.CreateAsync("blocking", new EmailInput("later"), runAt: host.Time.GetUtcNow() + TimeSpan.FromHours(1));

        await WorkerHost.EventuallyAsync(
            () => Task.FromResult(measurements.Observe(JobManagementDiagnostics.Names.WorkerRunning) == 1 && measurements.Observe(JobManagementDiagnostics.Names.WorkerWaiting) == 2),
            "one attempt runs and two jobs wait (one due now, one later)");
        host.Probe.Gate.SetResult();
        await host.WaitForTerminalAsync(first);
        await WorkerHost.EventuallyAsync(
            () => Task.FromResult(measurements.Observe(JobManagementDiagnostics.Names.WorkerRunning) == 0 && measurements.Observe(JobManagementDiagnostics.Names.WorkerWaiting) == 1),
            "only the delayed job is left");
    }

    [Fact]
    public async Task Attempt_RunsInALogScopeWithJobIdTypeAndAttempt()
    {
        var logs = new CapturingLoggerProvider();
        await using WorkerHost host = await new WorkerHost(
            jobs => jobs.AddHandler<LoggingHandler, EmailInput>("logging"),
            services: s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))).StartAsync();

        JobId jobId = await host.CreateAsync("logging", new EmailInput("scoped"));
        await host.WaitForTerminalAsync(jobId);

        CapturedLog handlerLog = logs.Entries.Should().ContainSingle(static e => e.Message == "handling scoped").Subject;
        handlerLog.Scope.Should().Contain(new KeyValuePair<string, object?>("JobId", jobId.ToString()))
            .And.Contain(new KeyValuePair<string, object?>("JobType", "logging"))
            .And.Contain(new KeyValuePair<string, object?>("Attempt", 1));
    }

    [Fact]
    public async Task AbortReason_WithALineBreak_IsLoggedOnOneLine()
    {
        var logs = new CapturingLoggerProvider();
        await using WorkerHost host = await new WorkerHost(
            jobs => jobs.AddHandler<BlockingHandler, EmailInput>("blocking"),
            services: s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug))).StartAsync();
        JobId jobId = await host.CreateAsync("blocking", new EmailInput("forged"));
        await host.Probe.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await host.Engine.AbortAsync(jobId, "customer asked\n[Error] forged entry\r\nand more");
        await host.WaitForTerminalAsync(jobId);
        await WorkerHost.EventuallyAsync(() => Task.FromResult(logs.Entries.Any(static e => e.EventId == 1015)), "the stopped attempt is logged");

        CapturedLog stopped = logs.Entries.Should().ContainSingle(static e => e.EventId == 1015).Subject;
        stopped.Message.Should().NotContainAny("\n", "\r");
        stopped.Message.Should().Contain(@"customer asked\n[Error] forged entry\r\nand more");
        logs.Entries.Should().OnlyContain(static e => !e.Message.Contains('\n') && !e.Message.Contains('\r'), "no formatted message spans lines");
    }

    [Fact]
    public async Task Compensation_RunHasItsOwnSpanLinkedToTheCreatingTrace()
    {
        using var spans = new SpanCollector();
        await using WorkerHost host = await new WorkerHost(jobs => jobs
            .AddHandler<ThrowingHandler, EmailInput>("charge-card", job => job.WithRetries(0).Plan.CompensateWith("refund"))
            .AddCompensation<RefundHandler, EmailInput>("refund")).StartAsync();
        using Activity request = StartRequest();

        JobId jobId = await host.CreateAsync("charge-card", new EmailInput("card-9"));
        request.Stop();
        await host.WaitForTerminalAsync(jobId);

        Activity span = (await spans.WaitForAsync(JobManagementDiagnostics.Names.CompensationSpan, "job.id", jobId.ToString())).Should().ContainSingle().Subject;
        span.Kind.Should().Be(ActivityKind.Consumer);
        span.GetTagItem("job.compensation.name").Should().Be("refund");
        span.GetTagItem("job.compensation.run").Should().Be(1);
        span.GetTagItem("job.compensation.outcome").Should().Be("completed");
        span.Links.Should().ContainSingle().Which.Context.TraceId.Should().Be(request.TraceId);
        (await spans.WaitForAsync(Attempt, "job.id", jobId.ToString())).Should().ContainSingle().Which.GetTagItem("job.attempt.outcome").Should().Be("failed");
    }

    private static Activity StartRequest()
    {
        var request = new Activity("http-request");
        request.SetIdFormat(ActivityIdFormat.W3C);
        return request.Start();
    }
}

/// <summary>Writes one log entry from inside the attempt.</summary>
public sealed class LoggingHandler(ILogger<LoggingHandler> logger) : IJobHandler<EmailInput>
{
    public ValueTask HandleAsync(JobContext<EmailInput> context, CancellationToken cancellationToken)
    {
#pragma warning disable CA1848, CA2254, CA1873 // a test handler: the plain extension is what users write
        logger.LogInformation($"handling {context.Input.To}");
#pragma warning restore CA1848, CA2254, CA1873
        return ValueTask.CompletedTask;
    }
}
