namespace JobManagement.AspNetCore;

/// <summary>Options of <see cref="JobEngineHealthCheck"/>.</summary>
public sealed class JobEngineHealthCheckOptions
{
    /// <summary>
    /// Gets or sets how long a job may wait for its handler's first attempt before the check reports
    /// Degraded (the worker is behind, or stuck). Default 5 minutes.
    /// </summary>
    public TimeSpan MaxWaitingAge { get; set; } = TimeSpan.FromMinutes(5);
}
