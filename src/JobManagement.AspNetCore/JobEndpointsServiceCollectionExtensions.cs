using JobManagement.AspNetCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers what the job endpoints need.</summary>
public static class JobEndpointsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the services the job endpoints and the dashboard need: the <c>JobIndex</c> (for listing and
    /// counting), problem details, the process's anti-forgery token for browser writes, and <see cref="JobEndpointsOptions"/> (validated at start). Needs
    /// <c>AddJobEngine()</c>. Calling it again only applies <paramref name="configure"/> again.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddJobEndpoints(this IServiceCollection services, Action<JobEndpointsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddJobIndex();
        services.AddProblemDetails();
        services.TryAddSingleton<DashboardToken>();
        OptionsBuilder<JobEndpointsOptions> options = services.AddOptions<JobEndpointsOptions>()
            .Validate(static o => o.MaxRequestBodyBytes > 0, "JobEndpointsOptions.MaxRequestBodyBytes must be positive.")
            .Validate(static o => o.MaxHistoryPageSize > 0, "JobEndpointsOptions.MaxHistoryPageSize must be positive.")
            .Validate(static o => o.MaxDeadLetters > 0, "JobEndpointsOptions.MaxDeadLetters must be positive.")
            .ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        return services;
    }
}
