using System.ComponentModel.DataAnnotations;
using Polly.Retry;

namespace JobManagement;

/// <summary>
/// Configures one job type's handler inside <c>jobs.AddHandler&lt;THandler, TInput&gt;("type", job =&gt; …)</c>:
/// what the job waits for after its handler succeeds, how failures are retried, time limits, concurrency.
/// </summary>
public sealed class JobHandlerBuilder
{
    internal JobHandlerBuilder(JobType jobType) => Plan = new JobPlanBuilder(jobType);

    /// <summary>Gets the job type.</summary>
    public JobType JobType => Plan.JobType;

    /// <summary>
    /// Gets the plan of the job type. A job succeeds when its handler has succeeded <em>and</em> every
    /// expectation added here is satisfied ("call the payment API, then wait for <c>payment.captured</c>").
    /// </summary>
    public JobPlanBuilder Plan { get; }

    /// <summary>
    /// Gets the retry options (Polly v8). Default: 3 retries, exponential backoff from 2 seconds with
    /// jitter, capped at 5 minutes. Every attempt and every wait is journalled. <c>ShouldHandle</c>, when
    /// set, narrows which exceptions are retried; validation errors and <see cref="NonRetryableAttribute"/>
    /// exceptions are never retried. <c>OnRetry</c> is called as usual.
    /// </summary>
    public RetryStrategyOptions Retry { get; } = new()
    {
        MaxRetryAttempts = 3,
        BackoffType = Polly.DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromSeconds(2),
        MaxDelay = TimeSpan.FromMinutes(5),
    };

    /// <summary>Gets or sets the longest one attempt may run (a Polly timeout: the handler's token is cancelled, the attempt fails and may be retried); null for none.</summary>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>Gets or sets how many jobs of this type run at once in this process; null for no limit below <see cref="JobWorkerOptions.MaxConcurrency"/>.</summary>
    public int? MaxConcurrency { get; set; }

    /// <summary>Gets or sets a predicate that says whether a failure may be retried (false: fail and dead-letter at once); null retries everything but validation errors.</summary>
    public Func<Exception, bool>? IsRetryable { get; set; }

    /// <summary>Adds an expectation the job waits for (after, or while, its handler runs).</summary>
    /// <param name="eventType">The event type.</param>
    /// <param name="configure">Sets correlation, multiplicity and task id.</param>
    /// <returns>This builder.</returns>
    public JobHandlerBuilder Expect(string eventType, Action<ExpectedEventBuilder>? configure = null)
    {
        Plan.Expect(eventType, configure);
        return this;
    }

    /// <summary>Sets the retry options' most important knobs.</summary>
    /// <param name="maxRetryAttempts">Retries after the first attempt (0 for none).</param>
    /// <param name="delay">The base delay (the median first delay with exponential backoff and jitter).</param>
    /// <returns>This builder.</returns>
    public JobHandlerBuilder WithRetries(int maxRetryAttempts, TimeSpan? delay = null)
    {
        Retry.MaxRetryAttempts = maxRetryAttempts;
        if (delay is { } d)
        {
            Retry.Delay = d;
        }

        return this;
    }

    /// <summary>Sets <see cref="AttemptTimeout"/>.</summary>
    /// <param name="timeout">The longest one attempt may run.</param>
    /// <returns>This builder.</returns>
    public JobHandlerBuilder WithAttemptTimeout(TimeSpan timeout)
    {
        AttemptTimeout = timeout;
        return this;
    }

    /// <summary>Sets <see cref="MaxConcurrency"/>.</summary>
    /// <param name="maxConcurrency">How many jobs of this type run at once in this process.</param>
    /// <returns>This builder.</returns>
    public JobHandlerBuilder WithMaxConcurrency(int maxConcurrency)
    {
        MaxConcurrency = maxConcurrency;
        return this;
    }

    /// <summary>Sets <see cref="IsRetryable"/>.</summary>
    /// <param name="isRetryable">Says whether a failure may be retried.</param>
    /// <returns>This builder.</returns>
    public JobHandlerBuilder RetryWhen(Func<Exception, bool> isRetryable)
    {
        IsRetryable = isRetryable;
        return this;
    }

    internal void Validate()
    {
        List<string> problems = [];
        if (Retry.MaxRetryAttempts is < 0 or > 1000)
        {
            problems.Add($"Retry.MaxRetryAttempts must be between 0 and 1000 (was {Retry.MaxRetryAttempts}).");
        }

        if (Retry.Delay < TimeSpan.Zero || Retry.Delay > TimeSpan.FromDays(1))
        {
            problems.Add($"Retry.Delay must be between zero and one day (was {Retry.Delay}).");
        }

        if (AttemptTimeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromDays(1)))
        {
            problems.Add($"AttemptTimeout must be more than zero and at most one day (was {timeout}).");
        }

        if (MaxConcurrency is < 1)
        {
            problems.Add($"MaxConcurrency must be at least 1 (was {MaxConcurrency}).");
        }

        if (problems.Count > 0)
        {
            throw new JobPlanValidationException(JobType, problems);
        }
    }

    /// <summary>Whether a failure may be retried: never validation errors or <see cref="NonRetryableAttribute"/> types; otherwise the predicate's answer.</summary>
    internal static bool IsRetryableByDefault(Exception exception) =>
        exception is not (ValidationException or ArgumentException or InvalidJobRequestException or System.Text.Json.JsonException)
        && !Attribute.IsDefined(exception.GetType(), typeof(NonRetryableAttribute), inherit: true);
}
