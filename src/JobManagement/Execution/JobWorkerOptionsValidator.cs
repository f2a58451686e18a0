using Microsoft.Extensions.Options;

namespace JobManagement;

/// <summary>Checks <see cref="JobWorkerOptions"/>, naming every setting that is out of range.</summary>
internal sealed class JobWorkerOptionsValidator : IValidateOptions<JobWorkerOptions>
{
    public ValidateOptionsResult Validate(string? name, JobWorkerOptions options)
    {
        List<string> failures = [];
        if (string.IsNullOrWhiteSpace(options.WorkerId) || options.WorkerId.Length > 200)
        {
            failures.Add($"JobWorkerOptions.{nameof(JobWorkerOptions.WorkerId)} must be 1 to 200 characters.");
        }

        if (options.MaxConcurrency is < 1 or > 10_000)
        {
            failures.Add($"JobWorkerOptions.{nameof(JobWorkerOptions.MaxConcurrency)} must be between 1 and 10000 (was {options.MaxConcurrency}).");
        }

        Positive(options.LeaseDuration, nameof(JobWorkerOptions.LeaseDuration), failures);
        Positive(options.LeaseRenewalInterval, nameof(JobWorkerOptions.LeaseRenewalInterval), failures);
        Positive(options.PollInterval, nameof(JobWorkerOptions.PollInterval), failures);
        Positive(options.ProgressInterval, nameof(JobWorkerOptions.ProgressInterval), failures);
        if (options.ShutdownTimeout < TimeSpan.Zero)
        {
            failures.Add($"JobWorkerOptions.{nameof(JobWorkerOptions.ShutdownTimeout)} must not be negative (was {options.ShutdownTimeout}).");
        }

        if (options.LeaseRenewalInterval >= options.LeaseDuration)
        {
            failures.Add($"JobWorkerOptions.{nameof(JobWorkerOptions.LeaseRenewalInterval)} ({options.LeaseRenewalInterval}) must be shorter than {nameof(JobWorkerOptions.LeaseDuration)} ({options.LeaseDuration}).");
        }

        if (options.SerializerOptions is null)
        {
            failures.Add($"JobWorkerOptions.{nameof(JobWorkerOptions.SerializerOptions)} is required.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Positive(TimeSpan value, string name, List<string> failures)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
        {
            failures.Add($"JobWorkerOptions.{name} must be more than zero and at most one day (was {value}).");
        }
    }
}
