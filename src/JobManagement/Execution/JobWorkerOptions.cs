using System.Text.Json;

namespace JobManagement;

/// <summary>Settings of the hosted worker that runs handlers. Validated when the host starts.</summary>
public sealed class JobWorkerOptions
{
    /// <summary>Gets or sets the worker's name, written on every attempt it starts. Default: machine name and process id.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Gets or sets how many attempts run at once in this process, all job types together. Default: 16.</summary>
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>
    /// Gets or sets how long a claim holds a job without renewal. A worker that dies loses its jobs to
    /// other workers (or to itself after a restart) once this passes. Default: 30 seconds.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often a running attempt renews its lease; must be shorter than <see cref="LeaseDuration"/>. Default: 10 seconds.</summary>
    public TimeSpan LeaseRenewalInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how often the worker reads the journal for work written by other processes (work
    /// created in this process is seen at once). Default: 1 second.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how long a graceful stop waits for running attempts before cancelling them and
    /// recording them as interrupted (they run again at once on the next start). Default: 30 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the shortest time between two journalled progress reports of one attempt. Default: 1 second.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how inputs are read and results written. Default: <see cref="JsonSerializerDefaults.Web"/>.</summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);
}
