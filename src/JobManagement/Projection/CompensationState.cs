namespace JobManagement;

/// <summary>The compensation of a failed or aborted job, from the plan's <see cref="CompensationPolicy"/>.</summary>
/// <param name="Name">The compensation's name.</param>
/// <param name="Cause">The terminal status the job ends in once compensated (Failed or Aborted).</param>
/// <param name="Outcome">Whether it is still pending, completed, or failed.</param>
/// <param name="Detail">The detail reported with the outcome, if any.</param>
/// <param name="CausedBy">The entry that recorded the outcome, once there is one.</param>
/// <param name="Runs">How many times a worker started the compensation handler (0 when it is recorded by hand).</param>
/// <param name="Worker">The worker that started the latest run.</param>
/// <param name="LeaseUntil">Until when that worker holds the compensation; another worker may take it over afterwards.</param>
public sealed record CompensationState(string Name, JobStatus Cause, CompensationOutcome Outcome, string? Detail, EntryReference? CausedBy, int Runs = 0, string? Worker = null, DateTimeOffset? LeaseUntil = null);

/// <summary>The outcome of a compensation.</summary>
public enum CompensationOutcome
{
    /// <summary>Compensation has been requested; its outcome is not recorded yet.</summary>
    Pending = 0,

    /// <summary>Compensation completed: its effects are undone.</summary>
    Completed = 1,

    /// <summary>Compensation failed: recovery is required by a person.</summary>
    Failed = 2,
}
