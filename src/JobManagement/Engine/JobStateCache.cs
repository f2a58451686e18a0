namespace JobManagement;

/// <summary>
/// A bounded, least-recently-used cache of job slots. A cached slot is a derived copy, never truth:
/// the engine checks it against the stream's version and catches up from the journal. The map is
/// thread-safe; a slot itself is only touched under its job's gate.
/// </summary>
/// <remarks>
/// Finished (terminal) jobs go to the end that is evicted first, however recently they were touched:
/// in a job queue the jobs touched longest ago are the ones waiting to run next, and plain LRU would
/// evict exactly those under a backlog larger than the cache (each then rebuilt from the journal when
/// claimed) while keeping the jobs that just finished.
/// </remarks>
internal sealed class JobStateCache
{
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<JobId, LinkedListNode<JobSlot>> _nodes = [];
    private readonly LinkedList<JobSlot> _recency = new();

    public JobStateCache(int capacity) => _capacity = capacity;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _nodes.Count;
            }
        }
    }

    public JobSlot? TryGet(JobId jobId)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(jobId, out LinkedListNode<JobSlot>? node))
            {
                return null;
            }

            Place(node);
            return node.Value;
        }
    }

    public void Set(JobSlot slot)
    {
        lock (_gate)
        {
            if (_nodes.TryGetValue(slot.JobId, out LinkedListNode<JobSlot>? node))
            {
                node.Value = slot;
                Place(node);
                return;
            }

            node = new LinkedListNode<JobSlot>(slot);
            _nodes.Add(slot.JobId, node);
            if (slot.Status.IsTerminal())
            {
                _recency.AddLast(node);
            }
            else
            {
                _recency.AddFirst(node);
            }

            if (_nodes.Count > _capacity)
            {
                LinkedListNode<JobSlot> oldest = _recency.Last!;
                _recency.RemoveLast();
                _nodes.Remove(oldest.Value.JobId);
            }
        }
    }

    /// <summary>Moves a used slot to the kept end, or, once its job is finished, to the evicted end. Caller holds the lock.</summary>
    private void Place(LinkedListNode<JobSlot> node)
    {
        if (node.Value.Status.IsTerminal())
        {
            if (node != _recency.Last)
            {
                _recency.Remove(node);
                _recency.AddLast(node);
            }
        }
        else if (node != _recency.First)
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
        }
    }
}
