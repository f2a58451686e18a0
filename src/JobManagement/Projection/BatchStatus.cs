namespace JobManagement;

/// <summary>Where a batch is, derived from its jobs' statuses.</summary>
public enum BatchStatus
{
    /// <summary>At least one of the batch's jobs is not terminal (Created, Running or Compensating).</summary>
    Running = 0,

    /// <summary>Every job of the batch succeeded.</summary>
    Succeeded = 1,

    /// <summary>Every job of the batch is terminal, and at least one failed or was aborted.</summary>
    Failed = 2,
}
