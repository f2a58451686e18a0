using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace JobManagement;

/// <summary>
/// Composes the job engine inside <c>services.AddJobEngine(jobs =&gt; …)</c>: plans per job type,
/// the journal, and options. Every plan is validated when it is added.
/// </summary>
public sealed partial class JobEngineBuilder
{
    internal JobEngineBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the service collection, for extensions (journals, handlers) to register into.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds the plan for a job type.</summary>
    /// <param name="jobType">The job type, such as <c>order-fulfillment</c>.</param>
    /// <param name="configure">Builds the plan: expectations, failure rules, compensation.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="JobPlanValidationException">The plan is invalid; every problem is listed.</exception>
    /// <exception cref="ArgumentException">The job type breaks the naming rule, or already has a plan.</exception>
    public JobEngineBuilder AddPlan(string jobType, Action<JobPlanBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = new JobPlanBuilder(JobType.Parse(jobType));
        configure(builder);
        return AddPlan(builder.Build());
    }

    /// <summary>Adds a ready-made plan.</summary>
    /// <param name="plan">The plan.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="JobPlanValidationException">The plan is invalid; every problem is listed.</exception>
    /// <exception cref="ArgumentException">The job type already has a plan.</exception>
    public JobEngineBuilder AddPlan(JobPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.EnsureValid();
        if (Services.Any(d => d.ServiceType == typeof(JobPlan) && d.ImplementationInstance is JobPlan existing && existing.JobType == plan.JobType))
        {
            throw new ArgumentException($"Job type '{plan.JobType}' already has a plan.", nameof(plan));
        }

        Services.AddSingleton(plan);
        return this;
    }

    /// <summary>Uses a journal other than the in-memory default.</summary>
    /// <param name="factory">Creates the journal (once: it is a singleton).</param>
    /// <returns>This builder.</returns>
    public JobEngineBuilder UseJournal(Func<IServiceProvider, IJobEventJournal> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.RemoveAll<IJobEventJournal>();
        Services.AddSingleton(factory);
        return this;
    }

    /// <summary>Configures the engine's options (validated at start).</summary>
    /// <param name="configure">Sets options.</param>
    /// <returns>This builder.</returns>
    public JobEngineBuilder Configure(Action<JobEngineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }
}
