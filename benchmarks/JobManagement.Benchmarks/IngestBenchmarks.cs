using BenchmarkDotNet.Attributes;

namespace JobManagement.Benchmarks;

/// <summary>
/// Ingesting one matching event on the in-memory journal: validate, dedupe by EventId, route by
/// correlation through the job index, append to the job's stream, fold the job's state. Each
/// invocation ingests <see cref="EventsPerInvoke"/> fresh events (unique ids) into
/// <see cref="Jobs"/> running jobs that stay Running; results are per event.
/// </summary>
/// <remarks>
/// A fresh engine, its jobs and the events are built in <see cref="Setup"/>, which
/// BenchmarkDotNet runs before each iteration outside the measurement (and outside the
/// allocation count), so every measured event is new to the journal.
/// </remarks>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    public const int EventsPerInvoke = 50_000;

    public const int Jobs = 1_000;

    private readonly Lock _gate = new();
    private IncomingEvent[] _events = [];
    private JobEngine? _engine;
    private Dictionary<string, IncomingEvent> _seen = [];
    private List<IncomingEvent> _log = [];
    private int _iteration;
    private ObservationListener? _listener;

    /// <summary>
    /// Gets or sets what a listener records, to measure the overhead of tracing and metrics: nothing
    /// (<see cref="Observation.Off"/>); every span and every measurement, the worst case and the target
    /// (<see cref="Observation.Everything"/>); or every measurement and a sampled tenth of the traces, as a host with
    /// OpenTelemetry's <c>ParentBased(TraceIdRatioBased(0.1))</c> sampler records them (<see cref="Observation.TenthSampled"/>).
    /// </summary>
    [Params(Observation.Off, Observation.Everything, Observation.TenthSampled)]
    public Observation Observed { get; set; }

    [GlobalSetup]
    public void Listen() => _listener = new ObservationListener(Observed);

    [IterationSetup]
    public void Setup()
    {
        _engine?.Dispose();
        _engine = Workload.CreateEngine(new InMemoryJobEventJournal());
        Workload.CreateJobsAsync(_engine, Jobs).GetAwaiter().GetResult();
        _events = Workload.Events(EventsPerInvoke, Jobs, $"scan{_iteration++}");
        _seen = [];
        _log = [];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _engine?.Dispose();
        _listener?.Dispose();
    }

    /// <summary>The least the job needs: under a lock, dedupe by event id in a dictionary and append to a list.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = EventsPerInvoke)]
    public int DictionaryDedupeListAppend()
    {
        foreach (IncomingEvent incoming in _events)
        {
            lock (_gate)
            {
                if (_seen.TryAdd(incoming.EventId.Value, incoming))
                {
                    _log.Add(incoming);
                }
            }
        }

        return Check(_log.Count);
    }

    /// <summary>The engine: <see cref="JobEngine.IngestAsync"/> for each event, one after another on one thread.</summary>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public async Task<int> EngineIngest() => Check(await Workload.IngestAllAsync(_engine!, _events));

    private static int Check(int applied) =>
        applied == EventsPerInvoke ? applied : throw new InvalidOperationException($"{applied} of {EventsPerInvoke} events were applied.");
}
