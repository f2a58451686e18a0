namespace JobManagement;

/// <summary>
/// The derived lookups the engine needs from a journal: jobs by type and correlation value (from
/// <c>job.created</c> entries), and domain entries by type and attribute (for adoption). Kept
/// beside the entries and updated with them; rebuildable from the entries alone.
/// Not thread-safe: the owning journal holds its lock.
/// </summary>
internal sealed class JournalIndexes
{
    private readonly Dictionary<JobType, List<JobId>> _jobsByType = [];
    private readonly Dictionary<(JobType Type, string Key, string Value), List<JobId>> _jobsByCorrelation = [];
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
            foreach (KeyValuePair<string, string> pair in correlation)
            {
                AddTo(_jobsByCorrelation, (jobType, pair.Key, pair.Value), entry.JobId);
            }
        }
    }

    public JobId[] FindJobs(JobLookup lookup)
    {
        List<JobId>? found = lookup.CorrelationKey is null
            ? _jobsByType.GetValueOrDefault(lookup.JobType)
            : _jobsByCorrelation.GetValueOrDefault((lookup.JobType, lookup.CorrelationKey, lookup.CorrelationValue!));
        return found?.ToArray() ?? [];
    }

    private static void AddTo<TKey>(Dictionary<TKey, List<JobId>> map, TKey key, JobId jobId)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out List<JobId>? list))
        {
            list = new List<JobId>(1);
            map.Add(key, list);
        }

        list.Add(jobId);
    }

    public List<JobEventLogEntry> FindRecordedEvents(RecordedEventLookup lookup)
    {
        if (lookup.AttributeKey is null)
        {
            return _eventsByType.Get(lookup.EventType!.Value);
        }

        List<JobEventLogEntry> byAttribute = _eventsByAttribute.Get((lookup.AttributeKey, lookup.AttributeValue!));
        if (lookup.EventType is { } type)
        {
            byAttribute.RemoveAll(entry => entry.EventType != type);
        }

        return byAttribute;
    }
}
