namespace JobManagement;

/// <summary>Settings of the <see cref="JobEngine"/>. Validated when the host starts (and when first used) by <c>JobEngineOptionsValidator</c>.</summary>
public sealed class JobEngineOptions
{
    /// <summary>Gets or sets the largest accepted event payload or job input, in UTF-8 bytes. Default: 262,144 (256 KiB).</summary>
    public int MaxPayloadBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Gets or sets how many unfinished job states the engine keeps in memory (and up to 256 finished ones). Default: 10,000.
    /// Evicted states are rebuilt from the journal. When the cache is full, a queued job that has not run yet and was created
    /// last is let go first (a queue runs it last), then the job used longest ago. The version and status of finished jobs are
    /// remembered for as many jobs, and until the worker's journal poll has read past them, up to ten times as many.
    /// With the in-memory journal, a queued job created behind 256 waiting jobs or more keeps no state while it waits (its claim
    /// rebuilds it from memory); only its version and status are remembered, for up to ten times as many jobs.
    /// </summary>
    public int StateCacheCapacity { get; set; } = 10_000;

    /// <summary>Gets or sets how many times an append that lost an optimistic-concurrency race is retried after catching up. Default: 8.</summary>
    public int MaxConcurrencyRetries { get; set; } = 8;

    /// <summary>Gets or sets the longest accepted abort reason or compensation detail, in characters. Default: 1,024.</summary>
    public int MaxReasonLength { get; set; } = EventAttributes.MaxValueLength;

    /// <summary>
    /// Gets or sets how often <see cref="JobEngine.WatchAsync"/> and <see cref="JobEngine.WaitAsync"/> look at the
    /// journal for changes made by other processes (changes made in this process arrive at once). Default: 1 second.
    /// </summary>
    public TimeSpan WatchPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gets or sets how long after a job with a dedupe key became terminal a create with the same key still returns
    /// it (see <see cref="CreateJobRequest.DedupeKey"/>), measured from its <see cref="JobState.CompletedAt"/> to now
    /// on the engine's <see cref="TimeProvider"/>. Default: zero (only jobs that are not terminal are returned). At most 365 days.
    /// </summary>
    public TimeSpan DedupeTerminalWindow { get; set; } = TimeSpan.Zero;

    /// <summary>Gets or sets the most jobs one <see cref="JobEngine.SubmitBatchAsync"/> call may submit. Default: 1,000.</summary>
    public int MaxBatchSize { get; set; } = 1000;
}
