namespace JobManagement.AspNetCore;

/// <summary>The body of <c>POST {prefix}/jobs/{id}/abort</c>.</summary>
public sealed record AbortJobBody
{
    /// <summary>Gets why the job is aborted. Required.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the request's idempotency key, or null for a new one.</summary>
    public string? RequestId { get; init; }
}

/// <summary>The (optional) body of <c>POST {prefix}/jobs/{id}/replay</c>.</summary>
public sealed record ReplayJobBody
{
    /// <summary>Gets the replay's idempotency key, or null for a new one (a retry then replays again).</summary>
    public string? RequestId { get; init; }
}
