using JobManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the <see cref="JobIndex"/>.</summary>
public static class JobIndexServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="JobIndex"/> (a derived list of jobs for listing and counting) and a hosted
    /// service that builds it in the background when the host starts. Needs <c>AddJobEngine()</c>.
    /// Calling it again changes nothing.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddJobIndex(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<JobIndex>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JobIndexWarmup>());
        return services;
    }
}
