namespace JobManagement;

/// <summary>
/// The worker's view of which jobs may run and when: a queue by due time for jobs not yet due, and one
/// queue per job type by priority (highest first) then age (oldest first) for jobs that are due.
/// Derived from job states, so it can always be rebuilt from the journal. Stale queue entries are
/// skipped lazily (a candidate is live until a newer one replaces it or it leaves the index). Not thread-safe: the worker locks.
/// </summary>
internal sealed class RunnableJobIndex
{
    private readonly Dictionary<JobId, Candidate> _current = [];
    private readonly PriorityQueue<Candidate, DateTimeOffset> _waiting = new();
    private readonly Dictionary<JobType, MostlyOrderedQueue<Candidate, (int NegativePriority, long Order)>> _ready = [];
    // The same due jobs by due time, so the worker's status can tell how long the oldest has waited.
    private readonly MostlyOrderedQueue<Candidate, DateTimeOffset> _readyByDue = new();

    public int Count => _current.Count;

    /// <summary>
    /// Takes in what a job state says about running it. A stale one (older than the one held) is ignored unless <paramref name="force"/>.
    /// A job already due at <paramref name="now"/> goes straight among the due ones (most jobs are due when created).
    /// </summary>
    public void Update(in JobRunFacts job, DateTimeOffset? runnableAt, DateTimeOffset now, bool force = false)
    {
        _current.TryGetValue(job.JobId, out Candidate? held);
        if (!force && held is not null && held.Version >= job.Version)
        {
            return;
        }

        if (runnableAt is not { } due)
        {
            if (held is not null)
            {
                Leave(held);
            }

            return;
        }

        var candidate = new Candidate(job.JobId, job.JobType, job.Priority, job.CreatedAt.UtcTicks, due, job.Version, job.Status == JobStatus.Compensating);
        if (held is not null)
        {
            held.IsLive = false;
        }

        _current[job.JobId] = candidate;
        if (due <= now)
        {
            MakeDue(candidate);
        }
        else
        {
            _waiting.Enqueue(candidate, due);
        }
    }

    /// <summary>
    /// Takes the best due job whose type may run now and that is not busy (running in this process):
    /// highest priority, then oldest. It leaves the index; the worker puts the job's state back when its run ends.
    /// </summary>
    public Candidate? TryTake(DateTimeOffset now, Func<JobType, bool> mayRun, Func<Candidate, bool> isBusy)
    {
        while (_waiting.TryPeek(out Candidate? next, out DateTimeOffset due) && due <= now)
        {
            _waiting.Dequeue();
            if (next.IsLive)
            {
                MakeDue(next);
            }
        }

        Candidate? best = null;
        MostlyOrderedQueue<Candidate, (int, long)>? bestQueue = null;
        foreach ((JobType type, var queue) in _ready)
        {
            while (queue.TryPeek(out Candidate? head, out _) && (!head.IsLive || isBusy(head)))
            {
                // A job this process is running already leaves the index: its run puts it back when it ends.
                queue.Dequeue();
                if (head.IsLive)
                {
                    Leave(head);
                }
            }

            if (queue.TryPeek(out Candidate? candidate, out _) && mayRun(type)
                && (best is null || candidate.Priority > best.Priority || (candidate.Priority == best.Priority && candidate.Order < best.Order)))
            {
                best = candidate;
                bestQueue = queue;
            }
        }

        if (best is not null)
        {
            bestQueue!.Dequeue();
            Leave(best);
        }

        return best;
    }

    /// <summary>When the next job not yet due becomes due; null when none waits.</summary>
    public DateTimeOffset? NextDueAt()
    {
        while (_waiting.TryPeek(out Candidate? next, out DateTimeOffset due))
        {
            if (next.IsLive)
            {
                return due;
            }

            _waiting.Dequeue();
        }

        return null;
    }

    /// <summary>The due time of the job that has been due the longest (not yet taken); null when none is due at <paramref name="now"/>.</summary>
    public DateTimeOffset? OldestDueAt(DateTimeOffset now)
    {
        DateTimeOffset? oldest = null;
        while (_readyByDue.TryPeek(out Candidate? head, out DateTimeOffset due))
        {
            if (head.IsLive)
            {
                oldest = due;
                break;
            }

            _readyByDue.Dequeue();
        }

        // Jobs that became due since the last take are still in the waiting queue, which is ordered by due time.
        return NextDueAt() is { } next && next <= now && (oldest is null || next < oldest) ? next : oldest;
    }

    /// <summary>Whether the index holds a candidate for the job.</summary>
    public bool Contains(JobId jobId) => _current.ContainsKey(jobId);

    private void MakeDue(Candidate candidate)
    {
        if (!_ready.TryGetValue(candidate.JobType, out var queue))
        {
            _ready[candidate.JobType] = queue = new MostlyOrderedQueue<Candidate, (int, long)>();
        }

        queue.Enqueue(candidate, (-candidate.Priority, candidate.Order));
        _readyByDue.Enqueue(candidate, candidate.DueAt);
    }

    /// <summary>The job's live candidate leaves the index (taken, busy, or nothing to run); its queue entries go stale.</summary>
    private void Leave(Candidate candidate)
    {
        candidate.IsLive = false;
        _current.Remove(candidate.JobId);
    }

    /// <summary>A job that may run at <see cref="DueAt"/>: an attempt of its handler, or a run of its compensation.</summary>
    internal sealed class Candidate(JobId jobId, JobType jobType, int priority, long order, DateTimeOffset dueAt, long version, bool isCompensation)
    {
        public JobId JobId { get; } = jobId;

        public JobType JobType { get; } = jobType;

        public int Priority { get; } = priority;

        /// <summary>Gets the job's age order (its creation time in ticks): older first among equal priorities.</summary>
        public long Order { get; } = order;

        public DateTimeOffset DueAt { get; } = dueAt;

        public long Version { get; } = version;

        public bool IsCompensation { get; } = isCompensation;

        /// <summary>
        /// Gets or sets a value indicating whether this is the job's candidate in the index: false once a newer one replaced it
        /// or it left, and then its queue entries are skipped. A flag, so that a skip costs no lookup. Under the worker's lock.
        /// </summary>
        public bool IsLive { get; set; } = true;
    }
}
