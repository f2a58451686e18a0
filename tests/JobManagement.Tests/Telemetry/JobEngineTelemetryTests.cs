using System.Diagnostics;
using System.Diagnostics.Metrics;
using JobManagement.Tests.Support;
using Microsoft.Extensions.Options;

namespace JobManagement.Tests.Telemetry;

/// <summary>
/// Spans and measurements of the engine, captured with <see cref="ActivityListener"/> and
/// <see cref="MeterListener"/>. Listeners are process-wide, so each test tells its own spans apart
/// by unique ids, and its own measurements by the meter its engine was given.
/// </summary>
public sealed class JobEngineTelemetryTests
{
    [Fact]
    public async Task IngestAsync_WithListener_RecordsSpanWithOutcomeAndStoresTheCallersTraceContext()
    {
        string order = Unique();
        using var spans = new SpanCollector();
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider());
        await sut.CreateJobAsync(TestEvents.Create($"req-{order}", $"job-{order}", order));
        using var webhook = new Activity("webhook-request");
        webhook.SetIdFormat(ActivityIdFormat.W3C);
        webhook.Start();

        IngestResult result = await sut.IngestAsync(TestEvents.Domain($"evt-{order}", "payment.captured", order));
        webhook.Stop();

        Activity span = spans.Only(JobManagementDiagnostics.Names.IngestSpan, "job.event.id", $"evt-{order}");
        span.GetTagItem("job.event.type").Should().Be("payment.captured");
        span.GetTagItem("job.ingest.outcome").Should().Be("applied");
        span.GetTagItem("job.ingest.jobs").Should().Be(1);
        JobEventLogEntry recorded = (await journal.FindByEventIdAsync(EventId.Parse($"evt-{order}"))).Should().ContainSingle().Subject;
        span.ParentSpanId.Should().Be(webhook.SpanId);
        recorded.Observability.TraceId.Should().Be(webhook.TraceId.ToHexString(), "later work for the job can join the trace that delivered the event");
        recorded.Observability.SpanId.Should().Be(webhook.SpanId.ToHexString());
        result.Outcomes[0].Status.Should().Be(IngestStatus.Applied);
    }

    [Fact]
    public async Task IngestAsync_CallerNotTraced_RecordsNoTraceContext()
    {
        string order = Unique();
        using var spans = new SpanCollector();
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider());

        await sut.IngestAsync(TestEvents.Domain($"evt-{order}", "payment.captured", order));

        spans.Only(JobManagementDiagnostics.Names.IngestSpan, "job.event.id", $"evt-{order}").ParentSpanId.Should().Be(default(ActivitySpanId));
        (await journal.FindByEventIdAsync(EventId.Parse($"evt-{order}")))[0].Observability.Should().Be(EventObservability.None);
    }

    [Fact]
    public async Task CreateJobAsync_UnderCallersTrace_RecordsSpanAsChildAndKeepsTheCallersTraceId()
    {
        string order = Unique();
        using var spans = new SpanCollector();
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider());
        using var request = new Activity("http-request");
        request.SetIdFormat(ActivityIdFormat.W3C);
        request.Start();

        JobCreationResult created = await sut.CreateJobAsync(TestEvents.Create($"req-{order}", $"job-{order}", order));
        request.Stop();

        Activity span = spans.Only(JobManagementDiagnostics.Names.CreateSpan, "job.id", $"job-{order}");
        span.TraceId.Should().Be(request.TraceId);
        span.ParentSpanId.Should().Be(request.SpanId);
        span.GetTagItem("job.type").Should().Be(TestPlans.OrderType.Value);
        span.GetTagItem("job.create.duplicate").Should().Be(false);
        JobEventLogEntry first = (await journal.ReadStreamAsync(created.JobId).ToListAsync())[0];
        first.Observability.TraceId.Should().Be(request.TraceId.ToHexString());
    }

    [Fact]
    public async Task IngestAsync_NoListener_StoresTheCallersTraceContext()
    {
        string order = Unique();
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider());
        using var request = new Activity("http-request");
        request.SetIdFormat(ActivityIdFormat.W3C);
        request.Start();

        await sut.IngestAsync(TestEvents.Domain($"evt-{order}", "payment.captured", order));
        request.Stop();

        JobEventLogEntry recorded = (await journal.FindByEventIdAsync(EventId.Parse($"evt-{order}"))).Should().ContainSingle().Subject;
        recorded.Observability.TraceId.Should().Be(request.TraceId.ToHexString());
    }

    [Fact]
    public async Task IngestAsync_CallerGaveObservabilityIds_KeepsThemAsGiven()
    {
        string order = Unique();
        using var spans = new SpanCollector();
        var journal = new InMemoryJobEventJournal();
        using JobEngine sut = TestEngine.Create(journal, new ManualTimeProvider());
        var given = new EventObservability("exec-7", "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");

        await sut.IngestAsync(TestEvents.Domain($"evt-{order}", "payment.captured", order, observability: given));

        (await journal.FindByEventIdAsync(EventId.Parse($"evt-{order}")))[0].Observability.Should().Be(given);
    }

    [Fact]
    public async Task Metrics_IngestAndCompletion_RecordedWithLowCardinalityTags()
    {
        string order = Unique();
        using var meters = new TestMeterFactory();
        using var measurements = new MeasurementCollector(meters);
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        using JobEngine sut = new(journal, new JobPlanCatalog([TestPlans.Order]), Options.Create(new JobEngineOptions()), time, meterFactory: meters);
        await sut.CreateJobAsync(TestEvents.Create($"req-{order}", $"job-{order}", order));

        await sut.IngestAsync(TestEvents.Domain($"pay-{order}", "payment.captured", order));
        await sut.IngestAsync(TestEvents.Domain($"pay-{order}", "payment.captured", order));
        await sut.IngestAsync(TestEvents.Domain($"d1-{order}", "parcel.delivered", order));
        time.Advance(TimeSpan.FromMinutes(5));
        await sut.IngestAsync(TestEvents.Domain($"d2-{order}", "parcel.delivered", order));
        await sut.IngestAsync(TestEvents.Domain($"late-{order}", "parcel.delivered", order));
        await sut.IngestAsync(TestEvents.Domain($"nobody-{order}", "invoice.sent", order));

        measurements.Sum(JobManagementDiagnostics.Names.JobsCreated, ("job.type", "order-fulfillment")).Should().Be(1);
        measurements.Sum(JobManagementDiagnostics.Names.EventsIngested, ("outcome", "applied")).Should().Be(3);
        measurements.Sum(JobManagementDiagnostics.Names.EventsIngested, ("outcome", "duplicate")).Should().Be(1);
        measurements.Sum(JobManagementDiagnostics.Names.EventsIngested, ("outcome", "recorded_only")).Should().Be(1);
        measurements.Sum(JobManagementDiagnostics.Names.EventsIngested, ("outcome", "unmatched")).Should().Be(1);
        measurements.Sum(JobManagementDiagnostics.Names.JobsCompleted, ("job.status", "succeeded")).Should().Be(1);
        measurements.Values(JobManagementDiagnostics.Names.JobDuration).Should().Equal(300d);
        measurements.Values(JobManagementDiagnostics.Names.IngestDuration).Should().HaveCount(6).And.OnlyContain(v => v >= 0);
        measurements.TagKeys().Should().BeSubsetOf(["outcome", "job.type", "job.status"], "metrics never carry job or event ids");
    }

    [Fact]
    public async Task IngestAsync_SpanAndDurationHistogramOn_RecordsTheSpansOwnDuration()
    {
        string order = Unique();
        using var spans = new SpanCollector();
        using var meters = new TestMeterFactory();
        using var measurements = new MeasurementCollector(meters);
        using JobEngine sut = new(new InMemoryJobEventJournal(), new JobPlanCatalog([TestPlans.Order]), Options.Create(new JobEngineOptions()), new ManualTimeProvider(), meterFactory: meters);
        await sut.CreateJobAsync(TestEvents.Create($"req-{order}", $"job-{order}", order));

        await sut.IngestAsync(TestEvents.Domain($"evt-{order}", "payment.captured", order));

        // One clock reading ends the span and times the measurement, so the two agree exactly.
        Activity span = spans.Only(JobManagementDiagnostics.Names.IngestSpan, "job.event.id", $"evt-{order}");
        span.Duration.Should().BePositive();
        measurements.Values(JobManagementDiagnostics.Names.IngestDuration).Should().Equal(span.Duration.TotalSeconds);
    }

    [Fact]
    public async Task Metrics_StateRebuiltByAnotherEngine_DoesNotCountTheTransitionAgain()
    {
        string order = Unique();
        using var meters = new TestMeterFactory();
        using var measurements = new MeasurementCollector(meters);
        var journal = new InMemoryJobEventJournal();
        var time = new ManualTimeProvider();
        using (JobEngine first = TestEngine.Create(journal, time))
        {
            await first.CreateJobAsync(TestEvents.Create($"req-{order}", $"job-{order}", order));
            await first.IngestAsync(TestEvents.Domain($"declined-{order}", "payment.declined", order));
        }

        using JobEngine sut = new(journal, new JobPlanCatalog([TestPlans.Order]), Options.Create(new JobEngineOptions()), time, meterFactory: meters);
        JobState? state = await sut.GetStateAsync(JobId.Parse($"job-{order}"));

        state!.Status.Should().Be(JobStatus.Failed);
        measurements.Sum(JobManagementDiagnostics.Names.JobsCompleted, ("job.status", "failed")).Should().Be(0, "a replay or a restart never announces a transition twice");
    }

    private static string Unique() => Guid.NewGuid().ToString("N")[..12];
}
