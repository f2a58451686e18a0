namespace JobManagement.AspNetCore;

/// <summary>
/// Tells <see cref="JobEngineHealthCheck"/> whether the engine's hosted worker runs. The default,
/// registered by <c>AddJobEngineHealthCheck()</c>, reads the core's <see cref="IJobWorkerStatus"/>;
/// register your own before calling it to replace it.
/// </summary>
public interface IJobWorkerMonitor
{
    /// <summary>Gets whether the worker runs.</summary>
    /// <returns>The worker's liveness.</returns>
    JobWorkerLiveness GetLiveness();
}

/// <summary>Whether the job worker runs.</summary>
public enum JobWorkerLiveness
{
    /// <summary>No worker is registered (no job type has a handler): nothing to run, nothing to check.</summary>
    NotRegistered = 0,

    /// <summary>The worker is registered but the host has not started it.</summary>
    NotStarted = 1,

    /// <summary>The worker's loop runs.</summary>
    Running = 2,

    /// <summary>The worker's loop ended: the host is stopping, or it failed.</summary>
    Stopped = 3,
}
