using System.Text.Json;

namespace JobManagement.AspNetCore;

/// <summary>The body of <c>POST {prefix}/jobs</c>: what <see cref="CreateJobRequest"/> holds, as JSON.</summary>
public sealed record CreateJobBody
{
    /// <summary>Gets the job type; a plan must be registered for it. Required.</summary>
    public string? JobType { get; init; }

    /// <summary>Gets the request's idempotency key: retrying with it returns the same job. When absent a new one is made, and a retry creates another job.</summary>
    public string? RequestId { get; init; }

    /// <summary>Gets a caller-chosen job id, or null for a new UUIDv7.</summary>
    public string? JobId { get; init; }

    /// <summary>Gets the job's correlation values.</summary>
    public IReadOnlyDictionary<string, string>? Correlation { get; init; }

    /// <summary>Gets the job's input.</summary>
    public JsonElement? Input { get; init; }

    /// <summary>Gets the job's priority (default 0).</summary>
    public int Priority { get; init; }

    /// <summary>Gets the earliest time the job's handler may run, or null for at once.</summary>
    public DateTimeOffset? RunAt { get; init; }

    /// <summary>Gets a dedupe key, or null.</summary>
    public string? DedupeKey { get; init; }

    /// <summary>Gets the parent job's id, or null.</summary>
    public string? ParentJobId { get; init; }

    /// <summary>Gets whether to start the job at once (default true).</summary>
    public bool? Start { get; init; }
}
