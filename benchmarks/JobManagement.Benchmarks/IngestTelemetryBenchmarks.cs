using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;

namespace JobManagement.Benchmarks;

/// <summary>
/// What the telemetry of one ingest costs on its own, with a listener that records every span and every
/// measurement, around nothing: <see cref="CurrentImplementation"/> is the engine's code (start the span, tag it,
/// record the two measurements, end it). <see cref="SpanStartStopOnly"/> is the floor: an <see cref="Activity"/>
/// started and stopped, no tags, no measurements, which no change in this library can go below.
/// <see cref="PreviousImplementation"/> is the code as it was before the clock-reading change (a
/// <see cref="Stopwatch"/> timestamp before the span and another after, besides the two the span takes), kept
/// here so all three are measured in the same run.
/// </summary>
[MemoryDiagnoser]
public class IngestTelemetryBenchmarks
{
    // Separate sources and meters, so each row pays for its own instruments; the listener subscribes to all.
    private static readonly ActivitySource FloorSource = new("JobManagement.Benchmarks.Floor");
    private static readonly ActivitySource PreviousSource = new("JobManagement.Benchmarks.PreviousTelemetry");
    private static readonly object BoxedOne = 1;

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

    /// <summary>The floor: a recorded span started and stopped, nothing else.</summary>
    [Benchmark]
    public void SpanStartStopOnly()
    {
        using Activity? activity = FloorSource.StartActivity(JobManagementDiagnostics.Names.IngestSpan, ActivityKind.Internal);
    }

    /// <summary>The engine's telemetry before the clock-reading change.</summary>
    [Benchmark(Baseline = true)]
    public void PreviousImplementation()
    {
        long started = Stopwatch.GetTimestamp();
        using Activity? activity = PreviousSource.StartActivity(JobManagementDiagnostics.Names.IngestSpan, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.AddTag("job.event.id", _event.EventId.ToString());
            activity.AddTag("job.event.type", _event.Type.ToString());
        }

        ImmutableArray<JobIngestOutcome> outcomes = _result.Outcomes;
        string first = outcomes[0].Status == IngestStatus.Applied ? "applied" : "other";
        if (activity is { IsAllDataRequested: true })
        {
            int jobs = 0;
            foreach (JobIngestOutcome outcome in outcomes)
            {
                jobs += outcome.JobId is null ? 0 : 1;
            }

            activity.AddTag("job.ingest.outcome", first);
            activity.AddTag("job.ingest.jobs", jobs == 1 ? BoxedOne : jobs);
        }

        if (_previousIngested!.Enabled)
        {
            foreach (JobIngestOutcome outcome in outcomes)
            {
                _previousIngested.Add(1, new KeyValuePair<string, object?>("outcome", outcome.Status == IngestStatus.Applied ? "applied" : "other"));
            }
        }

        if (_previousDuration!.Enabled)
        {
            _previousDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("outcome", first));
        }
    }

    /// <summary>The engine's telemetry for one ingest, as <see cref="JobEngine.IngestAsync"/> calls it.</summary>
    [Benchmark]
    public void CurrentImplementation()
    {
        using Activity? activity = JobEngineTelemetry.StartIngest(_event);
        long started = _telemetry!.StartIngestTiming(activity);
        _telemetry.RecordIngest(activity, _result, started);
    }
}
