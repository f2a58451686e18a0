using Microsoft.Extensions.Options;

namespace JobManagement;

/// <summary>Checks <see cref="JobEngineOptions"/>, naming every setting that is out of range.</summary>
internal sealed class JobEngineOptionsValidator : IValidateOptions<JobEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, JobEngineOptions options)
    {
        List<string> failures = [];
        Check(options.MaxPayloadBytes, 1, 64 * 1024 * 1024, nameof(JobEngineOptions.MaxPayloadBytes), failures);
        Check(options.StateCacheCapacity, 1, 10_000_000, nameof(JobEngineOptions.StateCacheCapacity), failures);
        Check(options.MaxConcurrencyRetries, 0, 1000, nameof(JobEngineOptions.MaxConcurrencyRetries), failures);
        Check(options.MaxReasonLength, 1, EventAttributes.MaxValueLength, nameof(JobEngineOptions.MaxReasonLength), failures);
        if (options.WatchPollInterval <= TimeSpan.Zero || options.WatchPollInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"JobEngineOptions.{nameof(JobEngineOptions.WatchPollInterval)} must be more than zero and at most one hour (was {options.WatchPollInterval}).");
        }

        if (options.DedupeTerminalWindow < TimeSpan.Zero || options.DedupeTerminalWindow > TimeSpan.FromDays(365))
        {
            failures.Add($"JobEngineOptions.{nameof(JobEngineOptions.DedupeTerminalWindow)} must be from zero to 365 days (was {options.DedupeTerminalWindow}).");
        }

        Check(options.MaxBatchSize, 1, 100_000, nameof(JobEngineOptions.MaxBatchSize), failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(int value, int min, int max, string name, List<string> failures)
    {
        if (value < min || value > max)
        {
            failures.Add($"JobEngineOptions.{name} must be between {min} and {max} (was {value}).");
        }
    }
}
