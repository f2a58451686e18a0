namespace JobManagement;

/// <summary>
/// A bounded, least-recently-used cache of job slots. A cached slot is a derived copy, never truth:
/// the engine checks it against the stream's version and catches up from the journal. The map is
/// thread-safe; a slot itself is only touched under its job's gate.
/// </summary>
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

            if (node != _recency.First)
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
            }

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
                _recency.Remove(node);
                _recency.AddFirst(node);
                return;
            }

            _nodes.Add(slot.JobId, _recency.AddFirst(slot));
            if (_nodes.Count > _capacity)
            {
                LinkedListNode<JobSlot> oldest = _recency.Last!;
                _recency.RemoveLast();
                _nodes.Remove(oldest.Value.JobId);
            }
        }
    }
}
