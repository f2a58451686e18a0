namespace JobManagement;

/// <summary>
/// A bounded, least-recently-used cache of job states. A cached state is a derived copy, never
/// truth: the engine checks it against the stream's version and catches up from the journal.
/// Thread-safe.
/// </summary>
internal sealed class JobStateCache
{
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<JobId, LinkedListNode<JobState>> _nodes = [];
    private readonly LinkedList<JobState> _recency = new();

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

    public JobState? TryGet(JobId jobId)
    {
        lock (_gate)
        {
            if (!_nodes.TryGetValue(jobId, out LinkedListNode<JobState>? node))
            {
                return null;
            }

            _recency.Remove(node);
            _recency.AddFirst(node);
            return node.Value;
        }
    }

    public void Set(JobState state)
    {
        lock (_gate)
        {
            if (_nodes.TryGetValue(state.JobId, out LinkedListNode<JobState>? node))
            {
                // Never move a state backwards: a slower writer may finish after a newer state was cached.
                if (node.Value.Version <= state.Version)
                {
                    node.Value = state;
                }

                _recency.Remove(node);
                _recency.AddFirst(node);
                return;
            }

            _nodes.Add(state.JobId, _recency.AddFirst(state));
            if (_nodes.Count > _capacity)
            {
                LinkedListNode<JobState> oldest = _recency.Last!;
                _recency.RemoveLast();
                _nodes.Remove(oldest.Value.JobId);
            }
        }
    }
}
