using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace JobManagement.AspNetCore;

/// <summary>
/// The default <see cref="IJobWorkerMonitor"/>: finds the core's worker among the host's hosted services
/// and reads its <see cref="BackgroundService.ExecuteTask"/>.
/// </summary>
/// <remarks>
/// ADAPTER — the core's worker type is internal, so it is recognised by its name. When the core publishes
/// <c>IJobWorkerStatus</c>, replace the body of <see cref="GetLiveness"/> with a read of it and delete the lookup.
/// </remarks>
internal sealed class HostedServiceJobWorkerMonitor(IServiceProvider services) : IJobWorkerMonitor
{
    private const string WorkerTypeName = "JobManagement.JobWorker";

    private readonly Lazy<BackgroundService?> _worker = new(() => services.GetServices<IHostedService>()
        .OfType<BackgroundService>()
        .FirstOrDefault(static s => s.GetType().Assembly == typeof(JobEngine).Assembly && s.GetType().FullName == WorkerTypeName));

    public JobWorkerLiveness GetLiveness() => _worker.Value switch
    {
        null => JobWorkerLiveness.NotRegistered,
        { ExecuteTask: null } => JobWorkerLiveness.NotStarted,
        { ExecuteTask.IsCompleted: true } => JobWorkerLiveness.Stopped,
        _ => JobWorkerLiveness.Running,
    };
}
