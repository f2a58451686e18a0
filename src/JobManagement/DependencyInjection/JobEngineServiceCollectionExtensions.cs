using JobManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the job engine.</summary>
public static class JobEngineServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="JobEngine"/>, its plans, the in-memory journal (unless another is
    /// chosen), options validated at start, and <see cref="TimeProvider.System"/> (unless one is
    /// registered). Calling it again adds more plans and changes nothing else.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Adds plans, chooses the journal, sets options.</param>
    /// <returns>The builder, for further composition.</returns>
    public static JobEngineBuilder AddJobEngine(this IServiceCollection services, Action<JobEngineBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IJobEventJournal, InMemoryJobEventJournal>();
        services.TryAddSingleton(static sp => new JobPlanCatalog(sp.GetServices<JobPlan>()));
        services.TryAddSingleton<JobEngine>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobEngineOptions>, JobEngineOptionsValidator>());
        services.AddOptions<JobEngineOptions>().ValidateOnStart();

        var builder = new JobEngineBuilder(services);
        configure?.Invoke(builder);
        return builder;
    }
}
