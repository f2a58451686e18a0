namespace JobManagement;

/// <summary>Where a job is in its lifecycle. See docs/state-machine.md for every transition.</summary>
public enum JobStatus
{
    /// <summary>Created, not started yet. Matching events already count.</summary>
    Created = 0,

    /// <summary>Started: waiting for its expectations (and, later, running its handlers).</summary>
    Running = 1,

    /// <summary>Failed or aborted, and waiting for its compensation's outcome. Ends in the cause's terminal status.</summary>
    Compensating = 2,

    /// <summary>Terminal: every expectation was satisfied.</summary>
    Succeeded = 3,

    /// <summary>Terminal: a failure event, an expired deadline, or an execution failure with no retry left.</summary>
    Failed = 4,

    /// <summary>Terminal: aborted on request, with a reason.</summary>
    Aborted = 5,
}

/// <summary>Helpers for <see cref="JobStatus"/>.</summary>
public static class JobStatusExtensions
{
    /// <summary>Tells whether the status is terminal (Succeeded, Failed or Aborted): later events are record-only.</summary>
    /// <param name="status">The status.</param>
    /// <returns>True when terminal.</returns>
    public static bool IsTerminal(this JobStatus status) => status >= JobStatus.Succeeded;
}
