namespace JobManagement;

/// <summary>
/// What this process's job worker is doing, for health checks and dashboards. Registered in DI (as a
/// singleton) when a handler or compensation is registered, since only then does the engine run a worker.
/// Thread-safe.
/// </summary>
public interface IJobWorkerStatus
{
    /// <summary>Takes a snapshot of the worker's status. Cheap: it reads values the worker's loop publishes, and never touches the journal.</summary>
    /// <returns>The snapshot.</returns>
    JobWorkerStatus GetStatus();
}
