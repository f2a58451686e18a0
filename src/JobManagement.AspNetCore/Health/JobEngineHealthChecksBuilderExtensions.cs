using JobManagement.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="JobEngineHealthCheck"/>.</summary>
public static class JobEngineHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds the <see cref="JobEngineHealthCheck"/> (journal reachable, worker running, no job waiting too
    /// long for its first attempt), with the <c>JobIndex</c> and the default <see cref="IJobWorkerMonitor"/>
    /// unless one is registered. Needs <c>AddJobEngine()</c>.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name. Default <c>job-engine</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddJobEngineHealthCheck(this IHealthChecksBuilder builder, string name = "job-engine", Action<JobEngineHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddJobIndex();
        builder.Services.TryAddSingleton<IJobWorkerMonitor, HostedServiceJobWorkerMonitor>();
        Options.OptionsBuilder<JobEngineHealthCheckOptions> options = builder.Services.AddOptions<JobEngineHealthCheckOptions>()
            .Validate(static o => o.MaxWaitingAge > TimeSpan.Zero, "JobEngineHealthCheckOptions.MaxWaitingAge must be positive.");
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return builder.AddCheck<JobEngineHealthCheck>(name, tags: ["job-engine"]);
    }
}
