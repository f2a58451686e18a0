using System.Collections.Immutable;

namespace JobManagement;

/// <summary>What an append did: one outcome per submitted event, in submission order.</summary>
/// <param name="JobId">The stream appended to.</param>
/// <param name="StreamVersion">The stream's version after the append.</param>
/// <param name="Outcomes">One outcome per submitted event, in order.</param>
public readonly record struct AppendResult(JobId JobId, long StreamVersion, ImmutableArray<AppendOutcome> Outcomes)
{
    /// <summary>Gets a value indicating whether every submitted event was a duplicate (nothing appended).</summary>
    public bool AllDuplicates => Outcomes.All(static outcome => outcome.IsDuplicate);
}

/// <summary>The outcome of appending one event.</summary>
/// <param name="Entry">The entry appended, or, for a duplicate, the original entry already in the stream.</param>
/// <param name="IsDuplicate">Whether the stream already held the event id (nothing was appended).</param>
/// <param name="IsConflict">For a duplicate: whether its content differed from the original's (the original wins).</param>
public readonly record struct AppendOutcome(JobEventLogEntry Entry, bool IsDuplicate, bool IsConflict);
