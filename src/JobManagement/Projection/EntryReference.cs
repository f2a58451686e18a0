namespace JobManagement;

/// <summary>Points at one entry of a job's stream: the fact that caused something.</summary>
/// <param name="Sequence">The entry's sequence in the job's stream.</param>
/// <param name="EventId">The entry's event id.</param>
public readonly record struct EntryReference(long Sequence, EventId EventId)
{
    internal static EntryReference Of(JobEventLogEntry entry) => new(entry.Sequence, entry.EventId);
}
