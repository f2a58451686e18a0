namespace JobManagement;

/// <summary>
/// The derived lookups the engine needs from a journal: jobs by type and correlation value (from
/// <c>job.created</c> entries), and domain entries by type and attribute (for adoption). Kept
/// beside the entries and updated with them; rebuildable from the entries alone.
/// Not thread-safe: the owning journal holds its lock.
/// </summary>
internal sealed class JournalIndexes
{
    // Append-only lists: a lookup hands out a free snapshot, and an append costs O(1) (a copy-on-write
    // array made creating the n-th job of a type cost O(n): quadratic over a busy journal).
    private readonly Dictionary<JobType, AppendOnlyList<JobId>> _jobsByType = [];
    private readonly Dictionary<(JobType Type, string Key, string Value), AppendOnlyList<JobId>> _jobsByCorrelation = [];
    private readonly MultiMap<EventTypeId, JobEventLogEntry> _eventsByType = new();
    private readonly MultiMap<(string Key, string Value), JobEventLogEntry> _eventsByAttribute = new();

    public void Add(JobEventLogEntry entry)
    {
        if (entry.Lane == EventLane.Domain)
        {
            _eventsByType.Add(entry.EventType, entry);
            foreach (KeyValuePair<string, string> attribute in entry.Attributes.AsSpan())
            {
                _eventsByAttribute.Add((attribute.Key, attribute.Value), entry);
            }
        }
        else if (entry.EventType == ExecutionEventTypes.Created && JobCreatedFact.TryRead(entry, out JobType jobType, out EventAttributes? correlation))
        {
            AddTo(_jobsByType, jobType, entry.JobId);
            foreach (KeyValuePair<string, string> pair in correlation.AsSpan())
            {
                AddTo(_jobsByCorrelation, (jobType, pair.Key, pair.Value), entry.JobId);
            }
        }
    }

    public IReadOnlyList<JobId> FindJobs(JobLookup lookup)
    {
        AppendOnlyList<JobId>? found = lookup.CorrelationKey is null
            ? _jobsByType.GetValueOrDefault(lookup.JobType)
            : _jobsByCorrelation.GetValueOrDefault((lookup.JobType, lookup.CorrelationKey, lookup.CorrelationValue!));
        return found?.Snapshot() ?? [];
    }

    private static void AddTo<TKey>(Dictionary<TKey, AppendOnlyList<JobId>> map, TKey key, JobId jobId)
        where TKey : notnull
    {
        ref AppendOnlyList<JobId>? jobs = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _);
        (jobs ??= new AppendOnlyList<JobId>()).Add(jobId);
    }

    public IReadOnlyList<JobEventLogEntry> FindRecordedEvents(RecordedEventLookup lookup)
    {
        if (lookup.AttributeKey is null)
        {
            return _eventsByType.Get(lookup.EventType!.Value);
        }

        IReadOnlyList<JobEventLogEntry> byAttribute = _eventsByAttribute.Get((lookup.AttributeKey, lookup.AttributeValue!));
        return lookup.EventType is { } type ? [.. byAttribute.Where(entry => entry.EventType == type)] : byAttribute;
    }
}
