using Polly.Retry;

namespace JobManagement;

/// <summary>Configures a compensation handler: its in-process retries and time limit.</summary>
public sealed class JobCompensationBuilder
{
    internal JobCompensationBuilder(string name) => Name = name;

    /// <summary>Gets the compensation's name (as the plan names it with <see cref="JobPlanBuilder.CompensateWith"/>).</summary>
    public string Name { get; }

    /// <summary>
    /// Gets the retry options (Polly v8) of one compensation run: its retries wait in-process while the run
    /// keeps its lease. Default: 3 retries, exponential backoff from 2 seconds with jitter. When they are
    /// exhausted, the compensation is recorded as failed (recovery required).
    /// </summary>
    public RetryStrategyOptions Retry { get; } = new()
    {
        MaxRetryAttempts = 3,
        BackoffType = Polly.DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = TimeSpan.FromSeconds(2),
        MaxDelay = TimeSpan.FromMinutes(1),
    };

    /// <summary>Gets or sets the longest one try may run (a Polly timeout); null for none.</summary>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>Sets the number of retries and the base delay.</summary>
    /// <param name="maxRetryAttempts">Retries after the first try (0 for none).</param>
    /// <param name="delay">The base delay.</param>
    /// <returns>This builder.</returns>
    public JobCompensationBuilder WithRetries(int maxRetryAttempts, TimeSpan? delay = null)
    {
        Retry.MaxRetryAttempts = maxRetryAttempts;
        if (delay is { } d)
        {
            Retry.Delay = d;
        }

        return this;
    }

    /// <summary>Sets <see cref="AttemptTimeout"/>.</summary>
    /// <param name="timeout">The longest one try may run.</param>
    /// <returns>This builder.</returns>
    public JobCompensationBuilder WithAttemptTimeout(TimeSpan timeout)
    {
        AttemptTimeout = timeout;
        return this;
    }

    internal void Validate()
    {
        List<string> problems = [];
        if (Retry.MaxRetryAttempts is < 0 or > 100)
        {
            problems.Add($"Retry.MaxRetryAttempts of compensation '{Name}' must be between 0 and 100 (was {Retry.MaxRetryAttempts}).");
        }

        if (Retry.Delay < TimeSpan.Zero || Retry.Delay > TimeSpan.FromHours(1))
        {
            problems.Add($"Retry.Delay of compensation '{Name}' must be between zero and one hour (was {Retry.Delay}).");
        }

        if (AttemptTimeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromDays(1)))
        {
            problems.Add($"AttemptTimeout of compensation '{Name}' must be more than zero and at most one day (was {timeout}).");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(Retry));
        }
    }
}
