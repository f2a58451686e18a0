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
    // Entries are named by their index in the journal's StoredEntries: lists of ints hold no
    // references, so keeping them costs the garbage collector nothing to trace.
    private readonly Dictionary<EventTypeId, List<int>> _eventsByType = [];
    private readonly Dictionary<(string Key, string Value), List<int>> _eventsByAttribute = [];

    public void Add(int index, JobId jobId, NewJobEvent newEvent)
    {
        EventAttributes attributes = newEvent.Attributes;
        if (newEvent.Lane == EventLane.Domain)
        {
            AddIndex(_eventsByType, newEvent.EventType, index);
            foreach (KeyValuePair<string, string> attribute in attributes.AsSpan())
            {
                AddIndex(_eventsByAttribute, (attribute.Key, attribute.Value), index);
            }
        }
        else if (JobCreatedFact.TryRead(newEvent.EventType, attributes, out JobType jobType, out EventAttributes? correlation))
        {
            AddTo(_jobsByType, jobType, jobId);
            foreach (KeyValuePair<string, string> pair in correlation.AsSpan())
            {
                AddTo(_jobsByCorrelation, (jobType, pair.Key, pair.Value), jobId);
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

    private static void AddIndex<TKey>(Dictionary<TKey, List<int>> map, TKey key, int index)
        where TKey : notnull
    {
        ref List<int>? indexes = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(map, key, out _);
        (indexes ??= []).Add(index);
    }

    /// <summary>The indexes of the domain entries the lookup names, in journal order (the caller filters by type when both are given).</summary>
    public List<int>? FindRecordedEvents(RecordedEventLookup lookup) =>
        lookup.AttributeKey is null
            ? _eventsByType.GetValueOrDefault(lookup.EventType!.Value)
            : _eventsByAttribute.GetValueOrDefault((lookup.AttributeKey, lookup.AttributeValue!));
}
