using Microsoft.Extensions.DependencyInjection;

namespace JobManagement.AspNetCore;

/// <summary>
/// The default <see cref="IJobWorkerMonitor"/>: reads the core's <see cref="IJobWorkerStatus"/>, which is
/// registered when a job type has a handler or a compensation.
/// </summary>
internal sealed class HostedServiceJobWorkerMonitor(IServiceProvider services) : IJobWorkerMonitor
{
    private readonly Lazy<IJobWorkerStatus?> _status = new(services.GetService<IJobWorkerStatus>);

    public JobWorkerLiveness GetLiveness()
    {
        if (_status.Value is not { } source)
        {
            return JobWorkerLiveness.NotRegistered;
        }

        JobWorkerStatus status = source.GetStatus();
        return status.IsRunning ? JobWorkerLiveness.Running
            : status.LastScanAt is null ? JobWorkerLiveness.NotStarted
            : JobWorkerLiveness.Stopped;
    }
}
