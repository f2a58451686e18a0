namespace JobManagement;

/// <summary>What applying one entry did to a job's state; the engine turns it into an ingest outcome.</summary>
internal enum EntryEffect
{
    /// <summary>The entry was already applied (its sequence is not past the state's version).</summary>
    AlreadyApplied,

    /// <summary>The entry counted toward an expectation, failed the job, or changed its status.</summary>
    Applied,

    /// <summary>A domain entry that matched no expectation and no failure rule.</summary>
    Unmatched,

    /// <summary>The job was terminal (or compensating): recorded, nothing changed.</summary>
    RecordedOnly,
}
