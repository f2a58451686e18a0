using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace JobManagement;

/// <summary>Registering handlers: job types whose jobs run a command, with the hosted worker that runs them.</summary>
public sealed partial class JobEngineBuilder
{
    /// <summary>
    /// Registers a handler for a job type, with its plan (none needed: a handler's success is itself what
    /// the job expects; add expectations to wait for events afterwards), retries and limits, and the hosted
    /// worker that runs it. The handler is resolved from a new DI scope for each attempt.
    /// </summary>
    /// <typeparam name="THandler">The handler (registered as transient unless already registered: one instance per attempt, resolved from the attempt's own scope, so its scoped dependencies are the attempt's).</typeparam>
    /// <typeparam name="TInput">The job's input.</typeparam>
    /// <param name="jobType">The job type, such as <c>send-invoice</c>.</param>
    /// <param name="configure">Sets expectations, retries, timeout and concurrency.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="JobPlanValidationException">The plan or the handler's settings are invalid; every problem is listed.</exception>
    /// <exception cref="ArgumentException">The job type breaks the naming rule, or already has a plan.</exception>
    public JobEngineBuilder AddHandler<THandler, TInput>(string jobType, Action<JobHandlerBuilder>? configure = null)
        where THandler : class, IJobHandler<TInput> =>
        AddHandler(jobType, typeof(THandler), JobHandlerRegistration.Invoker<THandler, TInput>(), configure);

    /// <summary>Registers a handler that produces a result; see <see cref="AddHandler{THandler, TInput}"/>.</summary>
    /// <typeparam name="THandler">The handler (registered as transient unless already registered: one instance per attempt, resolved from the attempt's own scope, so its scoped dependencies are the attempt's).</typeparam>
    /// <typeparam name="TInput">The job's input.</typeparam>
    /// <typeparam name="TResult">The result, stored as JSON; read it with <see cref="JobState.GetResult{T}"/>.</typeparam>
    /// <param name="jobType">The job type.</param>
    /// <param name="configure">Sets expectations, retries, timeout and concurrency.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="JobPlanValidationException">The plan or the handler's settings are invalid; every problem is listed.</exception>
    /// <exception cref="ArgumentException">The job type breaks the naming rule, or already has a plan.</exception>
    public JobEngineBuilder AddHandler<THandler, TInput, TResult>(string jobType, Action<JobHandlerBuilder>? configure = null)
        where THandler : class, IJobHandler<TInput, TResult> =>
        AddHandler(jobType, typeof(THandler), JobHandlerRegistration.Invoker<THandler, TInput, TResult>(), configure);

    /// <summary>Configures the hosted worker (validated at start).</summary>
    /// <param name="configure">Sets options.</param>
    /// <returns>This builder.</returns>
    public JobEngineBuilder ConfigureWorker(Action<JobWorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    private JobEngineBuilder AddHandler(string jobType, Type handlerType, Func<IServiceProvider, AttemptRun, System.Text.Json.JsonSerializerOptions, CancellationToken, ValueTask<System.Text.Json.JsonElement?>> invoke, Action<JobHandlerBuilder>? configure)
    {
        var builder = new JobHandlerBuilder(JobType.Parse(jobType));
        configure?.Invoke(builder);
        builder.Validate();
        AddPlan(builder.Plan.BuildWithHandler());
        Services.TryAddTransient(handlerType);
        Services.AddSingleton(new JobHandlerRegistration(builder, handlerType, invoke));
        AddWorker();
        return this;
    }

    /// <summary>
    /// Registers the compensation handler a plan names with <see cref="JobPlanBuilder.CompensateWith"/>: the
    /// hosted worker runs it while a job of that plan is Compensating, then records its outcome. Without one,
    /// record the outcome yourself with <see cref="JobEngine.RecordCompensationAsync"/>.
    /// </summary>
    /// <typeparam name="THandler">The compensation handler (registered as transient unless already registered: one instance per attempt, resolved from the attempt's own scope, so its scoped dependencies are the attempt's).</typeparam>
    /// <typeparam name="TInput">The input of the jobs it compensates.</typeparam>
    /// <param name="name">The compensation's name, as the plan names it.</param>
    /// <param name="configure">Sets retries and the time limit.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The name is empty or already has a handler, or a setting is out of range.</exception>
    public JobEngineBuilder AddCompensation<THandler, TInput>(string name, Action<JobCompensationBuilder>? configure = null)
        where THandler : class, IJobCompensationHandler<TInput>
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Services.Any(d => d.ServiceType == typeof(JobCompensationRegistration) && d.ImplementationInstance is JobCompensationRegistration existing && existing.Name == name))
        {
            throw new ArgumentException($"Compensation '{name}' already has a handler.", nameof(name));
        }

        var builder = new JobCompensationBuilder(name);
        configure?.Invoke(builder);
        builder.Validate();
        Services.TryAddTransient<THandler>();
        Services.AddSingleton(new JobCompensationRegistration(builder, JobCompensationRegistration.Invoker<THandler, TInput>()));
        AddWorker();
        return this;
    }

    private void AddWorker()
    {
        Services.TryAddSingleton<JobWorker>();
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JobWorker>(static sp => sp.GetRequiredService<JobWorker>()));
        Services.TryAddSingleton<IJobWorkerStatus>(static sp => sp.GetRequiredService<JobWorker>());
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JobWorkerOptions>, JobWorkerOptionsValidator>());
        Services.AddOptions<JobWorkerOptions>().ValidateOnStart();
    }
}
