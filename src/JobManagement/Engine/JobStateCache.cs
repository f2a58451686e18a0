using System.Runtime.InteropServices;

namespace JobManagement;

/// <summary>
/// A bounded cache of job slots. A cached slot is a derived copy, never truth: the engine checks it against
/// the stream's version and catches up from the journal. The maps are thread-safe; a slot itself is only
/// touched under its job's gate.
/// </summary>
/// <remarks>
/// <para>Unfinished jobs are kept up to the capacity. A job that runs a handler and has not been touched since it
/// was created (it waits in the queue for its first run) is kept apart, in creation order; when the cache is full,
/// the one created last goes first, then the job used longest ago (event-driven jobs are kept least recently used
/// first out). In a queue with more jobs waiting than the capacity, least recently used alone would let go exactly
/// the jobs that run next (the oldest), so every claim would rebuild its job from the journal; this way the oldest
/// waiting jobs stay cached and only jobs created later are rebuilt when they run.</para>
/// <para>Finished (terminal) jobs are
/// kept apart and only a few of them (<see cref="FinishedSlots"/>): in a job queue the jobs touched longest ago
/// are the ones waiting to run next, so a finished job must never push one of those out, and a finished job's
/// fold (its builder, transitions and attempts, ≈ 1 KB) kept until the cache is full would outlive a few young
/// collections, each copying it once more. What the worker still asks of a finished job — its version and
/// status, to know a change it reads in the journal was its own — is remembered from the moment it finishes, in
/// flat storage the collector does not copy, for as many jobs as the capacity and at the least until the worker's next
/// journal poll has read past it (see <c>FinishedJobs</c>).</para>
/// <para>With a journal whose reads cost no I/O (the in-memory one), a queued job created behind a longer queue than
/// <see cref="ShortQueue"/> keeps no slot while it waits: only its version and status (<see cref="SetQueued"/>), and its
/// claim rebuilds its fold from the journal's few entries. Such a job's fold (≈ 600 B) would outlive young collections
/// while the queue drains, each copying it again; rebuilding it costs less than keeping it there. A short queue's jobs are
/// claimed soon and keep their slots. A journal that reads from disk or over the network keeps the folds (see above).</para>
/// </remarks>
internal sealed class JobStateCache
{
    /// <summary>How many finished jobs' slots are kept: fewer than a young collection's worth of jobs, so most die young.</summary>
    public const int FinishedSlots = 256;

    /// <summary>How many queued jobs keep their slots while they wait, on a journal whose reads cost no I/O (see <see cref="SetQueued"/>): a short queue's, fewer than a young collection's worth.</summary>
    public const int ShortQueue = 256;

    private readonly int _capacity;
    private readonly int _finishedCapacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<JobId, LinkedListNode<JobSlot>> _nodes = [];
    private readonly LinkedList<JobSlot> _unfinished = new(); // used since created; most recently used first
    private readonly LinkedList<JobSlot> _fresh = new(); // queued jobs not used since created; created last at the end
    private readonly LinkedList<JobSlot> _finished = new(); // most recently used last
    private readonly FinishedJobs _finishedJobs;
    // Queued jobs that wait without a slot (SetQueued): what this process last applied and published of each.
    private readonly Dictionary<JobId, (long Version, JobStatus Status)> _waiting = [];
    private readonly int _waitingCapacity;

    public JobStateCache(int capacity)
    {
        _capacity = capacity;
        _finishedCapacity = Math.Min(capacity, FinishedSlots);
        _finishedJobs = new FinishedJobs(capacity);
        _waitingCapacity = 10 * capacity;
    }

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

    /// <summary>
    /// The version and status of a job as this process last applied them: from its slot when cached, else from
    /// the record of a finished job whose slot was let go; null when this process does not know the job. A look,
    /// not a use: the slot keeps its place (the worker's journal scan asks this of every job it reads).
    /// </summary>
    public (long Version, JobStatus Status)? Known(JobId jobId)
    {
        lock (_gate)
        {
            if (_nodes.TryGetValue(jobId, out LinkedListNode<JobSlot>? node))
            {
                return (node.Value.Version, node.Value.Status);
            }

            return _waiting.Count > 0 && _waiting.TryGetValue(jobId, out (long Version, JobStatus Status) waiting)
                ? waiting
                : _finishedJobs.TryGet(jobId);
        }
    }

    /// <summary>
    /// Caches a queued job just created, on a journal whose reads cost no I/O. While the queue is short (fewer than
    /// <see cref="ShortQueue"/> jobs wait, and fewer than the capacity), its slot is kept as any new queued job's: its claim
    /// comes soon and uses it. Behind a longer queue only its version and status are remembered, until a slot of it is cached
    /// again (its claim rebuilds one): a long queue's folds would outlive young collections, each copying them again. Up to
    /// ten times the capacity are remembered; beyond, a job is not (as if let go).
    /// </summary>
    public void SetQueued(JobSlot created)
    {
        lock (_gate)
        {
            if (_nodes.ContainsKey(created.JobId) || _fresh.Count + _waiting.Count < Math.Min(_capacity, ShortQueue))
            {
                SetLocked(created, created: true);
            }
            else if (_waiting.Count < _waitingCapacity || _waiting.ContainsKey(created.JobId))
            {
                _waiting[created.JobId] = (created.Version, created.Status);
            }
        }
    }

    /// <summary>The version and status remembered of a job waiting without a slot (<see cref="SetQueued"/>), or null.</summary>
    public (long Version, JobStatus Status)? Waiting(JobId jobId)
    {
        lock (_gate)
        {
            return _waiting.Count > 0 && _waiting.TryGetValue(jobId, out (long Version, JobStatus Status) waiting) ? waiting : null;
        }
    }

    /// <summary>Caches a job's slot: a queued job just created (<paramref name="created"/>) waits apart until it is first used.</summary>
    public void Set(JobSlot slot, bool created = false)
    {
        lock (_gate)
        {
            SetLocked(slot, created);
        }
    }

    /// <summary>As <see cref="Set"/>, for a caller that holds the lock.</summary>
    private void SetLocked(JobSlot slot, bool created)
    {
        if (_waiting.Count > 0)
        {
            _waiting.Remove(slot.JobId); // its slot is kept from now on
        }

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
            AddFinished(node);
            return;
        }

        if (created)
        {
            _fresh.AddLast(node);
        }
        else
        {
            _unfinished.AddFirst(node);
        }

        if (_unfinished.Count + _fresh.Count > _capacity)
        {
            // The job created last is the one a queue needs last; without one, the job used longest ago.
            LinkedListNode<JobSlot> evicted = _fresh.Last ?? _unfinished.Last!;
            evicted.List!.Remove(evicted);
            _nodes.Remove(evicted.Value.JobId);
        }
    }

    /// <summary>Moves a used slot to the kept end of its list, or, once its job is finished, among the finished ones. Caller holds the lock.</summary>
    private void Place(LinkedListNode<JobSlot> node)
    {
        if (node.List == _unfinished || node.List == _fresh)
        {
            node.List.Remove(node);
            if (node.Value.Status.IsTerminal())
            {
                AddFinished(node);
            }
            else
            {
                _unfinished.AddFirst(node);
            }
        }
        else
        {
            Remember(node.Value); // a finished job touched again may have moved on (a late fact, kept as record-only)
            if (node != _finished.Last)
            {
                _finished.Remove(node);
                _finished.AddLast(node);
            }
        }
    }

    /// <summary>
    /// Keeps a finished job's slot, letting the finished slot used longest ago go. Its version and status are remembered now,
    /// while the slot is at hand: letting the oldest go later then touches only its node and id, not its cold fold. Caller holds the lock.
    /// </summary>
    private void AddFinished(LinkedListNode<JobSlot> node)
    {
        Remember(node.Value);
        _finished.AddLast(node);
        if (_finished.Count > _finishedCapacity)
        {
            JobId oldest = _finished.First!.Value.JobId;
            _finished.RemoveFirst();
            _nodes.Remove(oldest);
        }
    }

    private void Remember(JobSlot finished) => _finishedJobs.Remember(finished.JobId, finished.Version, finished.Status, finished.LastPosition);

    /// <summary>Tells the cache that the worker's journal poll has read every entry up to a position (see <see cref="FinishedJobs"/>).</summary>
    public void ScannedThrough(long position)
    {
        lock (_gate)
        {
            _finishedJobs.ScannedThrough(position);
        }
    }

    /// <summary>
    /// The version and status of finished jobs, in the order they finished, so that knowing one costs no read after its slot
    /// was let go. A record is let go once more than the capacity are kept and the worker's journal poll has read past the entry
    /// that finished its job: the poll asks this of every job it reads, and a job this process saw finish but forgot would be
    /// rebuilt from the journal (at a thousand jobs a second and more, most of each poll's). Until a poll reports, or when the
    /// polls fall behind by ten times the capacity, the oldest records go first. Flat storage: a map and a queue of structs.
    /// </summary>
    private sealed class FinishedJobs(int capacity)
    {
        private readonly Dictionary<JobId, (long Version, JobStatus Status, long Position)> _known = [];
        private readonly Queue<(JobId JobId, long Position)> _order = new(); // one per remembering; a later one supersedes
        private readonly long _hardCapacity = 10L * capacity;
        private long _scannedThrough = long.MaxValue; // no poll has reported yet: the capacity alone bounds the records

        public (long Version, JobStatus Status)? TryGet(JobId jobId) =>
            _known.TryGetValue(jobId, out (long Version, JobStatus Status, long Position) known) ? (known.Version, known.Status) : null;

        public void Remember(JobId jobId, long version, JobStatus status, long position)
        {
            ref (long Version, JobStatus Status, long Position) known = ref CollectionsMarshal.GetValueRefOrAddDefault(_known, jobId, out bool exists);
            if (exists && known.Version == version && known.Position == position)
            {
                return; // read again, not moved on: its record stands
            }

            known = (version, status, position);
            _order.Enqueue((jobId, position));
            Trim();
        }

        /// <summary>The worker's journal poll has read every entry up to <paramref name="position"/>: the jobs finished there may be forgotten.</summary>
        public void ScannedThrough(long position)
        {
            _scannedThrough = position;
            Trim();
        }

        private void Trim()
        {
            while (_order.Count > capacity && _order.TryPeek(out (JobId JobId, long Position) oldest)
                && (oldest.Position <= _scannedThrough || _order.Count > _hardCapacity))
            {
                _order.Dequeue();
                if (_known.TryGetValue(oldest.JobId, out (long Version, JobStatus Status, long Position) record) && record.Position == oldest.Position)
                {
                    _known.Remove(oldest.JobId); // its latest record (a job remembered again keeps the newer one)
                }
            }
        }
    }
}
