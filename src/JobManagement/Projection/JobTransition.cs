namespace JobManagement;

/// <summary>One change of status, and the entry that caused it.</summary>
/// <param name="From">The status before, or null for the job's creation.</param>
/// <param name="To">The status after.</param>
/// <param name="CausedBy">The entry that caused it.</param>
/// <param name="EventType">The causing entry's type.</param>
/// <param name="At">When the causing entry was recorded.</param>
public sealed record JobTransition(JobStatus? From, JobStatus To, EntryReference CausedBy, EventTypeId EventType, DateTimeOffset At);
