namespace JobManagement;

/// <summary>The outcome of appending one event.</summary>
/// <param name="Entry">The entry appended, or, for a duplicate, the original entry already in the stream.</param>
/// <param name="IsDuplicate">Whether the stream already held the event id (nothing was appended).</param>
/// <param name="IsConflict">For a duplicate: whether its content differed from the original's (the original wins).</param>
public readonly record struct AppendOutcome(JobEventLogEntry Entry, bool IsDuplicate, bool IsConflict);
