using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace JobManagement;

/// <summary>One job type's handler as the worker runs it: how to invoke it, its limits, and its Polly pipeline.</summary>
internal sealed class JobHandlerRegistration
{
    private readonly Func<IServiceProvider, AttemptRun, JsonSerializerOptions, CancellationToken, ValueTask<JsonElement?>> _invoke;
    private readonly Func<Exception, bool>? _isRetryable;
    private readonly RetryStrategyOptions _retry;
    private readonly TimeSpan? _attemptTimeout;
    private ResiliencePipeline? _pipeline;

    public JobHandlerRegistration(JobHandlerBuilder builder, Type handlerType, Func<IServiceProvider, AttemptRun, JsonSerializerOptions, CancellationToken, ValueTask<JsonElement?>> invoke)
    {
        JobType = builder.JobType;
        HandlerType = handlerType;
        MaxConcurrency = builder.MaxConcurrency;
        MaxAttempts = builder.Retry.MaxRetryAttempts + 1;
        _isRetryable = builder.IsRetryable;
        _retry = builder.Retry;
        _attemptTimeout = builder.AttemptTimeout;
        _invoke = invoke;
    }

    public JobType JobType { get; }

    public Type HandlerType { get; }

    public int? MaxConcurrency { get; }

    /// <summary>Gets the most attempts a job of this type gets, counted over its whole history (restarts included).</summary>
    public int MaxAttempts { get; }

    public ValueTask<JsonElement?> InvokeAsync(IServiceProvider services, AttemptRun run, JsonSerializerOptions serializer, CancellationToken cancellationToken) =>
        _invoke(services, run, serializer, cancellationToken);

    public bool IsRetryable(Exception exception) =>
        JobHandlerBuilder.IsRetryableByDefault(exception) && (_isRetryable?.Invoke(exception) ?? true);

    /// <summary>
    /// The pipeline every run of this type goes through: Polly's retry (its backoff, jitter and waits, on the
    /// engine's clock) around Polly's per-attempt timeout. The run journals each attempt and each wait.
    /// </summary>
    public ResiliencePipeline Pipeline(TimeProvider time) => _pipeline ??= BuildPipeline(time);

    private ResiliencePipeline BuildPipeline(TimeProvider time)
    {
        Func<RetryPredicateArguments<object>, ValueTask<bool>>? userShouldHandle = _retry.ShouldHandle;
        Func<OnRetryArguments<object>, ValueTask>? userOnRetry = _retry.OnRetry;
        var retry = new RetryStrategyOptions
        {
            Name = $"{JobType}-retry",
            MaxRetryAttempts = Math.Max(1, _retry.MaxRetryAttempts),
            BackoffType = _retry.BackoffType,
            UseJitter = _retry.UseJitter,
            Delay = _retry.Delay,
            MaxDelay = _retry.MaxDelay,
            DelayGenerator = _retry.DelayGenerator,
            ShouldHandle = async args =>
            {
                // Asked after every attempt, successes included: a success needs no lookup of its run.
                if (args.Outcome.Exception is not { } exception || !AttemptRun.From(args.Context).MayRetry(exception, this))
                {
                    return false;
                }

                return userShouldHandle is null || await userShouldHandle(args).ConfigureAwait(false);
            },
            OnRetry = async args =>
            {
                await AttemptRun.From(args.Context).RecordRetryAsync(args.Outcome.Exception!, args.RetryDelay).ConfigureAwait(false);
                if (userOnRetry is not null)
                {
                    await userOnRetry(args).ConfigureAwait(false);
                }
            },
        };

        var builder = new ResiliencePipelineBuilder { TimeProvider = time, Name = JobType.Value };
        builder.AddRetry(retry);
        if (_attemptTimeout is { } timeout)
        {
            builder.AddTimeout(new TimeoutStrategyOptions { Timeout = timeout, Name = $"{JobType}-attempt-timeout" });
        }

        return builder.Build();
    }

    /// <summary>Makes the invoker of an <see cref="IJobHandler{TInput}"/>.</summary>
    public static Func<IServiceProvider, AttemptRun, JsonSerializerOptions, CancellationToken, ValueTask<JsonElement?>> Invoker<THandler, TInput>()
        where THandler : class, IJobHandler<TInput> =>
        static async (services, run, serializer, cancellationToken) =>
        {
            THandler handler = services.GetRequiredService<THandler>();
            await handler.HandleAsync(new JobContext<TInput>(run, run.ReadInput<TInput>(serializer), services, cancellationToken), cancellationToken).ConfigureAwait(false);
            return null;
        };

    /// <summary>Makes the invoker of an <see cref="IJobHandler{TInput, TResult}"/>.</summary>
    public static Func<IServiceProvider, AttemptRun, JsonSerializerOptions, CancellationToken, ValueTask<JsonElement?>> Invoker<THandler, TInput, TResult>()
        where THandler : class, IJobHandler<TInput, TResult> =>
        static async (services, run, serializer, cancellationToken) =>
        {
            THandler handler = services.GetRequiredService<THandler>();
            TResult result = await handler.HandleAsync(new JobContext<TInput>(run, run.ReadInput<TInput>(serializer), services, cancellationToken), cancellationToken).ConfigureAwait(false);
            return JsonSerializer.SerializeToElement(result, serializer);
        };
}
