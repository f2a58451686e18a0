using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace JobManagement.Benchmarks;

/// <summary>
/// What the telemetry of one ingest costs on its own, with a listener that records every span and every
/// measurement: <c>StartIngest</c>, <c>RecordIngest</c> and the span's end, around nothing. The ingest
/// benchmark's iterations are too noisy to show a difference of a few hundred nanoseconds; this isolates it.
/// <see cref="PreviousImplementation"/> is the code as it was before the tag changes (SetTag, a boxed count
/// through LINQ, a boxed bool), kept here so both are measured in the same run.
/// </summary>
[MemoryDiagnoser]
public class IngestTelemetryBenchmarks
{
    private static readonly ActivitySource PreviousSource = new("JobManagement.Benchmarks.PreviousTelemetry");

    private readonly IncomingEvent _event = new()
    {
        EventId = EventId.Parse("evt-0123456789"),
        Type = EventTypeId.Parse("item.scanned"),
        OccurredAt = DateTimeOffset.UnixEpoch,
        Attributes = EventAttributes.Empty,
    };

    private readonly IngestResult _result = new(EventId.Parse("evt-0123456789"), [new JobIngestOutcome(JobId.Parse("order-42"), IngestStatus.Applied)]);
    private JobEngineTelemetry? _telemetry;
    private Meter? _previousMeter;
    private Counter<long>? _previousIngested;
    private Histogram<double>? _previousDuration;
    private ActivityListener? _spans;
    private MeterListener? _metrics;

    [GlobalSetup]
    public void Setup()
    {
        _telemetry = new JobEngineTelemetry(null);
        _previousMeter = new Meter("JobManagement.Benchmarks.PreviousTelemetry");
        _previousIngested = _previousMeter.CreateCounter<long>("previous.events.ingested");
        _previousDuration = _previousMeter.CreateHistogram<double>("previous.ingest.duration");
        _spans = new ActivityListener
        {
            ShouldListenTo = static source => source.Name.StartsWith(JobManagementDiagnostics.ActivitySourceName, StringComparison.Ordinal),
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_spans);
        _metrics = new MeterListener
        {
            InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name.StartsWith(JobManagementDiagnostics.MeterName, StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _metrics.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _metrics.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _metrics.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _telemetry?.Dispose();
        _previousMeter?.Dispose();
        _spans?.Dispose();
        _metrics?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void PreviousImplementation()
    {
        long started = Stopwatch.GetTimestamp();
        using Activity? activity = PreviousSource.StartActivity(JobManagementDiagnostics.Names.IngestSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("job.event.id", _event.EventId.ToString());
            activity.SetTag("job.event.type", _event.Type.ToString());
        }

        string first = _result.Outcomes[0].Status == IngestStatus.Applied ? "applied" : "other";
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("job.ingest.outcome", first);
            activity.SetTag("job.ingest.jobs", _result.Outcomes.Count(static o => o.JobId is not null));
        }

        if (_previousIngested!.Enabled)
        {
            foreach (JobIngestOutcome outcome in _result.Outcomes)
            {
                _previousIngested.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Status == IngestStatus.Applied ? "applied" : "other"));
            }
        }

        if (_previousDuration!.Enabled)
        {
            _previousDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", first));
        }
    }

    [Benchmark]
    public void CurrentImplementation()
    {
        long started = Stopwatch.GetTimestamp();
        using Activity? activity = JobEngineTelemetry.StartIngest(_event);
        _telemetry!.RecordIngest(activity, _result, started);
    }
}
