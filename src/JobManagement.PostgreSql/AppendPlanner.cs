using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace JobManagement.PostgreSql;

/// <summary>
/// Decides, in memory, what a batch of append requests does — the same rules as the in-memory
/// journal: per-stream dedupe, the version check only when something new is appended, sequences
/// and positions handed out contiguously. It works from what the database held when the batch's
/// transaction took the position lock, plus what earlier requests of the same batch appended, so
/// two requests to one stream in one batch see each other. A new <c>job.created</c> whose id is already the id
/// of any entry in another stream (in the database, or earlier in the batch) is refused with
/// <see cref="JobCreationConflictException"/> naming the oldest such entry. The rows it decides on go to a
/// <see cref="PostgreSqlRowBuffer"/>; nothing here touches the database.
/// </summary>
internal sealed class AppendPlanner
{
    private readonly Dictionary<JobId, long> _versions = [];
    private readonly Dictionary<JobId, long> _initial = [];
    private readonly Dictionary<(JobId Stream, EventId EventId), JobEventLogEntry> _recorded = [];
    // The oldest entry known (read or planned) per event id: what a new job.created with that id is checked against.
    private readonly Dictionary<EventId, JobEventLogEntry> _oldestByEventId = [];

    /// <summary>Initializes a planner that hands out positions after <paramref name="lastPosition"/>.</summary>
    public AppendPlanner(long lastPosition) => LastPosition = lastPosition;

    /// <summary>Gets the last position handed out (or the journal's last position before the batch).</summary>
    public long LastPosition { get; private set; }

    /// <summary>Gets each stream's version as planned (read, remembered, or after the planned appends).</summary>
    public IReadOnlyDictionary<JobId, long> Versions => _versions;

    /// <summary>The versions the plan started from, per distinct stream of <paramref name="requests"/> (0 when unknown: a new stream).</summary>
    public (string[] Streams, long[] Versions) Expectations(IReadOnlyList<PendingAppend> requests)
    {
        List<string> streams = [];
        List<long> versions = [];
        HashSet<JobId> seen = [];
        foreach (PendingAppend request in requests)
        {
            if (seen.Add(request.JobId))
            {
                streams.Add(request.JobId.Value);
                versions.Add(_initial.GetValueOrDefault(request.JobId));
            }
        }

        return (streams.ToArray(), versions.ToArray());
    }

    /// <summary>Records a stream's version as read from the database.</summary>
    public void AddVersion(JobId stream, long version)
    {
        _versions[stream] = version;
        _initial[stream] = version;
    }

    /// <summary>Records an entry read from the database or planned (a candidate original for a duplicate, or one a creation may not reuse the id of).</summary>
    public void AddRecorded(JobEventLogEntry entry)
    {
        _recorded[(entry.JobId, entry.EventId)] = entry;
        ref JobEventLogEntry? oldest = ref CollectionsMarshal.GetValueRefOrAddDefault(_oldestByEventId, entry.EventId, out _);
        if (oldest is null || entry.Position < oldest.Position)
        {
            oldest = entry; // rows are read in no particular order
        }
    }

    /// <summary>Decides one request: returns its <see cref="AppendResult"/>, or its <see cref="JobConcurrencyException"/> or <see cref="JobCreationConflictException"/>.</summary>
    public object Plan(PendingAppend request, PostgreSqlRowBuffer rows)
    {
        JobId stream = request.JobId;
        long version = _versions.GetValueOrDefault(stream);
        var outcomes = new AppendOutcome[request.Events.Count];
        int fresh = 0;
        for (int i = 0; i < request.Events.Count; i++)
        {
            NewJobEvent next = request.Events[i];
            if (_recorded.TryGetValue((stream, next.EventId), out JobEventLogEntry? original))
            {
                outcomes[i] = new AppendOutcome(original, IsDuplicate: true, IsConflict: !next.HasSameContentAs(original));
            }
            else
            {
                fresh++;
            }
        }

        if (fresh > 0 && CreationConflict(request, outcomes) is { } conflict)
        {
            return conflict;
        }

        if (fresh > 0 && !request.ExpectedVersion.IsMetBy(version))
        {
            return new JobConcurrencyException(stream, request.ExpectedVersion, version);
        }

        for (int i = 0; i < outcomes.Length; i++)
        {
            if (outcomes[i].Entry is null)
            {
                JobEventLogEntry entry = request.Events[i].ToEntry(stream, ++version, ++LastPosition);
                rows.Add(request.Events[i], entry);
                AddRecorded(entry);
                outcomes[i] = new AppendOutcome(entry, IsDuplicate: false, IsConflict: false);
            }
        }

        _versions[stream] = version;
        return new AppendResult(stream, version, ImmutableCollectionsMarshal.AsImmutableArray(outcomes));
    }

    /// <summary>The refusal of a new <c>job.created</c> of the request whose id is already used in another stream, or null.</summary>
    private JobCreationConflictException? CreationConflict(PendingAppend request, AppendOutcome[] outcomes)
    {
        for (int i = 0; i < outcomes.Length; i++)
        {
            NewJobEvent next = request.Events[i];
            if (outcomes[i].Entry is null
                && JobCreatedFact.IsCreation(next.Lane, next.EventType)
                && _oldestByEventId.TryGetValue(next.EventId, out JobEventLogEntry? existing)
                && existing.JobId != request.JobId)
            {
                return new JobCreationConflictException(next.EventId, existing.JobId, existing.EventType, request.JobId);
            }
        }

        return null;
    }
}
