using System.Text.Json;

namespace JobManagement;

/// <summary>Asks the engine to create (and by default start) a job.</summary>
public sealed record CreateJobRequest
{
    /// <summary>Gets the job type; a plan must be registered for it.</summary>
    public required JobType JobType { get; init; }

    /// <summary>Gets the request's idempotency key: retrying with the same id returns the same job and creates nothing.</summary>
    public required EventId RequestId { get; init; }

    /// <summary>Gets a caller-chosen job id (a natural key such as <c>order-42-fulfillment</c>), or null for a new UUIDv7.</summary>
    public JobId? JobId { get; init; }

    /// <summary>Gets the job's correlation values; the plan's correlation keys must all be present.</summary>
    public EventAttributes Correlation { get; init; } = EventAttributes.Empty;

    /// <summary>Gets the job's input (JSON), stored in its <c>job.created</c> entry.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>Gets a value indicating whether to start the job at once (default true). When false, call <see cref="JobEngine.StartAsync"/>.</summary>
    public bool Start { get; init; } = true;

    /// <summary>Gets the observability identifiers of the request (never influence state).</summary>
    public EventObservability Observability { get; init; } = EventObservability.None;

    /// <summary>Gets the job's priority: among runnable jobs, a worker runs higher priorities first, then older jobs. Default 0.</summary>
    public int Priority { get; init; }

    /// <summary>Gets the earliest time the job's handler may run (delayed start), or null for at once. Events still count before it.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>
    /// Gets a delay before the job's handler may first run, counted from when the job is created (by the
    /// engine's clock); the alternative to <see cref="RunAt"/> (set one or the other).
    /// </summary>
    public TimeSpan? RunAfter { get; init; }

    /// <summary>The request with <see cref="RunAfter"/> turned into <see cref="RunAt"/> at <paramref name="now"/>.</summary>
    internal CreateJobRequest WithRunAtResolved(DateTimeOffset now) =>
        RunAfter is { } delay ? this with { RunAt = now + delay, RunAfter = null } : this;

    /// <summary>Gets the id of the dead-lettered job this job replays (set when a dead letter is replayed).</summary>
    public JobId? ReplayOf { get; init; }

    /// <summary>
    /// Gets a dedupe key, or null for none. While a job of the same <see cref="JobType"/> with this key is not terminal,
    /// creating another returns that job (<see cref="JobCreationResult.IsDeduplicated"/>) instead of a new one; a terminal
    /// job is returned too while its <see cref="JobState.CompletedAt"/> is within <see cref="JobEngineOptions.DedupeTerminalWindow"/>.
    /// Non-empty, at most <see cref="EventAttributes.MaxValueLength"/> characters. Not accepted in a batch.
    /// </summary>
    /// <remarks>
    /// Exact across every process sharing the journal: which job a key names is decided by a <c>job.dedupe.claimed</c>
    /// entry in the key's own stream (<see cref="JobId.IsDedupe"/>), appended at the stream's exact version, so of two
    /// nodes racing with one key one claims it and the other is answered with the claimed job. The claim is the commit
    /// point: if its node dies before creating the job, the next create with the key (on any node) creates it, under the
    /// claiming request's id. Each key reads only its stream's last entry.
    /// </remarks>
    public string? DedupeKey { get; init; }

    /// <summary>Gets the parent job's id, when this job is a child; the parent must exist. The parent's stream records the child's creation and end.</summary>
    public JobId? ParentJobId { get; init; }

    /// <summary>Gets the batch the job is materialised for (set by the engine, never by callers).</summary>
    internal BatchId? Batch { get; init; }
}
