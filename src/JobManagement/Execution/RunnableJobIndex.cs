namespace JobManagement;

/// <summary>
/// The worker's view of which jobs may run and when: a queue by due time for jobs not yet due, and one
/// queue per job type by priority (highest first) then age (oldest first) for jobs that are due.
/// Derived from job states, so it can always be rebuilt from the journal. Stale queue entries are
/// skipped lazily (an entry is live while the map still points at it). Not thread-safe: the worker locks.
/// </summary>
internal sealed class RunnableJobIndex
{
    private readonly Dictionary<JobId, Candidate> _current = [];
    private readonly PriorityQueue<Candidate, DateTimeOffset> _waiting = new();
    private readonly Dictionary<JobType, PriorityQueue<Candidate, (int NegativePriority, long Order)>> _ready = [];
    // The same due jobs by due time, so the worker's status can tell how long the oldest has waited.
    private readonly PriorityQueue<Candidate, DateTimeOffset> _readyByDue = new();

    public int Count => _current.Count;

    /// <summary>Takes in what a job state says about running it. A stale one (older than the one held) is ignored unless <paramref name="force"/>.</summary>
    public void Update(in JobRunFacts job, DateTimeOffset? runnableAt, bool force = false)
    {
        if (!force && _current.TryGetValue(job.JobId, out Candidate? held) && held.Version >= job.Version)
        {
            return;
        }

        if (runnableAt is not { } due)
        {
            _current.Remove(job.JobId);
            return;
        }

        var candidate = new Candidate(job.JobId, job.JobType, job.Priority, job.CreatedAt.UtcTicks, due, job.Version, job.Status == JobStatus.Compensating);
        _current[job.JobId] = candidate;
        _waiting.Enqueue(candidate, due);
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
            if (IsLive(next))
            {
                if (!_ready.TryGetValue(next.JobType, out var queue))
                {
                    _ready[next.JobType] = queue = new PriorityQueue<Candidate, (int, long)>();
                }

                queue.Enqueue(next, (-next.Priority, next.Order));
                _readyByDue.Enqueue(next, due);
            }
        }

        Candidate? best = null;
        foreach ((JobType type, var queue) in _ready)
        {
            while (queue.TryPeek(out Candidate? head, out _) && (!IsLive(head) || isBusy(head)))
            {
                // A job this process is running already leaves the index: its run puts it back when it ends.
                queue.Dequeue();
                if (IsLive(head))
                {
                    _current.Remove(head.JobId);
                }
            }

            if (queue.Count > 0 && mayRun(type) && queue.Peek() is var candidate
                && (best is null || candidate.Priority > best.Priority || (candidate.Priority == best.Priority && candidate.Order < best.Order)))
            {
                best = candidate;
            }
        }

        if (best is not null)
        {
            _ready[best.JobType].Dequeue();
            _current.Remove(best.JobId);
        }

        return best;
    }

    /// <summary>When the next job not yet due becomes due; null when none waits.</summary>
    public DateTimeOffset? NextDueAt()
    {
        while (_waiting.TryPeek(out Candidate? next, out DateTimeOffset due))
        {
            if (IsLive(next))
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
            if (IsLive(head))
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

    private bool IsLive(Candidate candidate) =>
        _current.TryGetValue(candidate.JobId, out Candidate? held) && ReferenceEquals(held, candidate);

    /// <summary>A job that may run at <see cref="DueAt"/>: an attempt of its handler, or a run of its compensation.</summary>
    internal sealed record Candidate(JobId JobId, JobType JobType, int Priority, long Order, DateTimeOffset DueAt, long Version, bool IsCompensation);
}
