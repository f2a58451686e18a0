namespace JobManagement;

/// <summary>What ingesting an event (or a command) did for one job.</summary>
public enum IngestStatus
{
    /// <summary>Appended, and it counted toward an expectation, failed the job, or changed its status.</summary>
    Applied = 0,

    /// <summary>The event id was already recorded: nothing appended, nothing changed (whatever the content).</summary>
    Duplicate = 1,

    /// <summary>Appended for audit, but the job was terminal (or compensating): nothing changed.</summary>
    RecordedOnly = 2,

    /// <summary>Appended, but it matched nothing in the plan (or, without a job id, no job): recorded, kept for jobs created later.</summary>
    Unmatched = 3,

    /// <summary>Addressed to a job that does not exist yet: recorded, and the job adopts it when it is created.</summary>
    AwaitingJob = 4,

    /// <summary>Bad input: nothing appended. <see cref="JobIngestOutcome.Field"/> and <see cref="JobIngestOutcome.Reason"/> say why.</summary>
    Rejected = 5,
}
