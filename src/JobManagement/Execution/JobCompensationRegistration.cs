using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace JobManagement;

/// <summary>One compensation handler as the worker runs it: how to invoke it and its Polly pipeline.</summary>
internal sealed class JobCompensationRegistration
{
    private readonly Func<IServiceProvider, JobState, int, JsonSerializerOptions, CancellationToken, ValueTask> _invoke;
    private readonly RetryStrategyOptions _retry;
    private readonly TimeSpan? _attemptTimeout;
    private ResiliencePipeline? _pipeline;

    public JobCompensationRegistration(JobCompensationBuilder builder, Func<IServiceProvider, JobState, int, JsonSerializerOptions, CancellationToken, ValueTask> invoke)
    {
        Name = builder.Name;
        _retry = builder.Retry;
        _attemptTimeout = builder.AttemptTimeout;
        _invoke = invoke;
    }

    public string Name { get; }

    public ValueTask InvokeAsync(IServiceProvider services, JobState state, int run, JsonSerializerOptions serializer, CancellationToken cancellationToken) =>
        _invoke(services, state, run, serializer, cancellationToken);

    /// <summary>Polly's retry (in-process: the run keeps its lease while it waits) around Polly's per-try timeout.</summary>
    public ResiliencePipeline Pipeline(TimeProvider time) => _pipeline ??= BuildPipeline(time);

    private ResiliencePipeline BuildPipeline(TimeProvider time)
    {
        var builder = new ResiliencePipelineBuilder { TimeProvider = time, Name = $"compensation-{Name}" };
        if (_retry.MaxRetryAttempts > 0)
        {
            Func<RetryPredicateArguments<object>, ValueTask<bool>>? userShouldHandle = _retry.ShouldHandle;
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = $"compensation-{Name}-retry",
                MaxRetryAttempts = _retry.MaxRetryAttempts,
                BackoffType = _retry.BackoffType,
                UseJitter = _retry.UseJitter,
                Delay = _retry.Delay,
                MaxDelay = _retry.MaxDelay,
                DelayGenerator = _retry.DelayGenerator,
                OnRetry = _retry.OnRetry,
                ShouldHandle = async args =>
                    args.Outcome.Exception is { } exception
                    && !args.Context.CancellationToken.IsCancellationRequested
                    && exception is not OperationCanceledException
                    && JobHandlerBuilder.IsRetryableByDefault(exception)
                    && (userShouldHandle is null || await userShouldHandle(args).ConfigureAwait(false)),
            });
        }

        if (_attemptTimeout is { } timeout)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = timeout, Name = $"compensation-{Name}-timeout" });
        }

        return builder.Build();
    }

    /// <summary>Makes the invoker of an <see cref="IJobCompensationHandler{TInput}"/>.</summary>
    public static Func<IServiceProvider, JobState, int, JsonSerializerOptions, CancellationToken, ValueTask> Invoker<THandler, TInput>()
        where THandler : class, IJobCompensationHandler<TInput> =>
        static async (services, state, run, serializer, cancellationToken) =>
        {
            THandler handler = services.GetRequiredService<THandler>();
            TInput input = state.Input is { } json ? json.Deserialize<TInput>(serializer)! : default!;
            await handler.CompensateAsync(new JobCompensationContext<TInput>(state, run, input, services, cancellationToken), cancellationToken).ConfigureAwait(false);
        };
}
