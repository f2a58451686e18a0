using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace JobManagement.Tests.Support;

/// <summary>Collects the engine's spans while alive. Listeners are process-wide: tell a test's spans apart by its own ids.</summary>
public sealed class SpanCollector : IDisposable
{
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ActivityListener _listener;

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == JobManagementDiagnostics.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<Activity> Where(string name, string tag, string value) =>
        [.. _spans.Where(s => s.OperationName == name && Equals(s.GetTagItem(tag), value))];

    public Activity Only(string name, string tag, string value) =>
        Where(name, tag, value).Should().ContainSingle().Subject;

    /// <summary>Waits until <paramref name="count"/> spans of the name carry the tag (spans end after the state change a test waits for).</summary>
    public async Task<IReadOnlyList<Activity>> WaitForAsync(string name, string tag, string value, int count = 1)
    {
        await WorkerHost.EventuallyAsync(() => Task.FromResult(Where(name, tag, value).Count >= count), $"{count} {name} span(s) with {tag}={value} ended");
        return Where(name, tag, value);
    }

    public void Dispose() => _listener.Dispose();
}

/// <summary>Hands out meters and remembers them, so a test listens to its own engine only.</summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly ConcurrentQueue<Meter> _meters = new();

    public IReadOnlyCollection<Meter> Meters => _meters;

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Enqueue(meter);
        return meter;
    }

    public void Dispose()
    {
        foreach (Meter meter in _meters)
        {
            meter.Dispose();
        }
    }
}

/// <summary>Collects measurements of the meters a <see cref="TestMeterFactory"/> created (observable instruments when asked to).</summary>
public sealed class MeasurementCollector : IDisposable
{
    private readonly ConcurrentQueue<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();
    private readonly MeterListener _listener = new();

    public MeasurementCollector(TestMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (meters.Meters.Contains(instrument.Meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        _listener.Start();
    }

    public double Sum(string instrument, params (string Key, string Value)[] tags) =>
        Matching(instrument, tags).Sum(static m => m.Value);

    public IReadOnlyList<double> Values(string instrument, params (string Key, string Value)[] tags) =>
        [.. Matching(instrument, tags).Select(static m => m.Value)];

    public IEnumerable<string> TagKeys() => _measurements.SelectMany(static m => m.Tags.Select(static t => t.Key)).Distinct();

    /// <summary>Reads the observable instruments now and returns the latest value of one (null when it reported none).</summary>
    public double? Observe(string instrument)
    {
        _listener.RecordObservableInstruments();
        return _measurements.Where(m => m.Instrument == instrument).Select(static m => (double?)m.Value).LastOrDefault();
    }

    public void Dispose() => _listener.Dispose();

    private IEnumerable<(string Instrument, double Value, KeyValuePair<string, object?>[] Tags)> Matching(string instrument, (string Key, string Value)[] tags) =>
        _measurements.Where(m => m.Instrument == instrument && tags.All(tag => m.Tags.Any(t => t.Key == tag.Key && Equals(t.Value, tag.Value))));
}
