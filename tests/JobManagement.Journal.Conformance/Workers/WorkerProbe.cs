using System.Collections.Concurrent;

namespace JobManagement.Journal.Conformance.Workers;

/// <summary>
/// Shared by every node of a test (one instance registered in each service provider): lets the
/// conformance handler tell the test what it did, and lets the test make it fail or block.
/// </summary>
public sealed class WorkerProbe
{
    private readonly ConcurrentDictionary<JobId, int> _invocations = new();
    private readonly ConcurrentDictionary<JobId, int> _running = new();
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly ConcurrentQueue<JobId> _overlaps = new();
    private int _failuresLeft;
    private int _cancelled;

    /// <summary>Gets every call, as "job:attempt:name", in the order the handlers entered.</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    /// <summary>Gets how many times the handler was invoked per job, over every node.</summary>
    public IReadOnlyDictionary<JobId, int> Invocations => _invocations;

    /// <summary>Gets the jobs whose handler was entered while another invocation of it was still running (on any node).</summary>
    public IReadOnlyList<JobId> Overlaps => [.. _overlaps];

    /// <summary>Gets how many handler invocations saw their token cancelled.</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>Gets or sets how many invocations (over all jobs) fail before the handler succeeds again.</summary>
    public int FailuresLeft
    {
        get => Volatile.Read(ref _failuresLeft);
        set => Volatile.Write(ref _failuresLeft, value);
    }

    /// <summary>Gets or sets a value indicating whether handlers wait for <see cref="Gate"/> (or their token).</summary>
    public bool Block { get; set; }

    /// <summary>Gets the gate blocking handlers wait for.</summary>
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets a task completed when a handler enters for the first time.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IDisposable Enter(JobId jobId, int attempt, string name)
    {
        _calls.Enqueue($"{jobId}:{attempt}:{name}");
        _invocations.AddOrUpdate(jobId, 1, static (_, n) => n + 1);
        if (_running.AddOrUpdate(jobId, 1, static (_, n) => n + 1) > 1)
        {
            _overlaps.Enqueue(jobId);
        }

        Entered.TrySetResult();
        return new Exit(this, jobId);
    }

    public bool ShouldFail()
    {
        while (true)
        {
            int left = Volatile.Read(ref _failuresLeft);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _failuresLeft, left - 1, left) == left)
            {
                return true;
            }
        }
    }

    public void RecordCancelled() => Interlocked.Increment(ref _cancelled);

    private sealed class Exit(WorkerProbe probe, JobId jobId) : IDisposable
    {
        public void Dispose() => probe._running.AddOrUpdate(jobId, 0, static (_, n) => n - 1);
    }
}
