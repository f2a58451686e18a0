using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace JobManagement.Benchmarks;

/// <summary>
/// Listens to the engine's spans and instruments as an <see cref="Observation"/> says, until disposed: spans sampled
/// by the observation's sampler, every measurement of every instrument delivered to a callback that does nothing (an
/// exporter's own cost is not the engine's).
/// </summary>
internal sealed class ObservationListener : IDisposable
{
    private readonly ActivityListener? _spans;
    private readonly MeterListener? _metrics;

    public ObservationListener(Observation observation)
    {
        if (observation == Observation.Off)
        {
            return;
        }

        _spans = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == JobManagementDiagnostics.ActivitySourceName,
            Sample = observation == Observation.Everything
                ? static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded
                : TenthSampler.Sample,
        };
        ActivitySource.AddActivityListener(_spans);
        _metrics = new MeterListener
        {
            InstrumentPublished = static (instrument, listener) =>
            {
                if (instrument.Meter.Name == JobManagementDiagnostics.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _metrics.SetMeasurementEventCallback<long>(static (_, _, _, _) => { });
        _metrics.SetMeasurementEventCallback<double>(static (_, _, _, _) => { });
        _metrics.Start();
    }

    public void Dispose()
    {
        _spans?.Dispose();
        _metrics?.Dispose();
    }
}
