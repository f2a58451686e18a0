namespace JobManagement.AspNetCore;

/// <summary>Options of the job endpoints mapped by <c>MapJobEndpoints</c>; set them with <c>services.AddJobEndpoints(options =&gt; …)</c>.</summary>
public sealed class JobEndpointsOptions
{
    /// <summary>
    /// Gets or sets the largest request body accepted, in bytes; a larger one is answered 413 before it
    /// is parsed. Default 65,536 (64 KiB), far below Kestrel's 30 MB. Raise it with
    /// <see cref="JobEngineOptions.MaxPayloadBytes"/> if your events or inputs are larger.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Gets or sets the authorization policy required on every endpoint, or null (the default). Without a
    /// policy here or one set by the host on the returned group (<c>.RequireAuthorization(…)</c>), the
    /// endpoints answer only requests from the loopback address, and 403 to every other.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether a browser's writes are checked against cross-site request
    /// forgery. Default true: a POST that carries <c>Origin</c>, <c>Sec-Fetch-Site</c> or a cookie must be
    /// same-origin and carry the <c>X-JobManagement-Csrf</c> token the dashboard page holds, or it is
    /// answered 403. Requests without those headers (API clients, webhooks) are not affected. Turn it off
    /// only when the host protects these endpoints itself (its own antiforgery for its own browser client).
    /// </summary>
    public bool ProtectAgainstCrossSiteRequests { get; set; } = true;

    /// <summary>Gets or sets the most history entries one page may hold. Default 1,000.</summary>
    public int MaxHistoryPageSize { get; set; } = 1000;

    /// <summary>Gets or sets the most dead letters one request lists. Default 500.</summary>
    public int MaxDeadLetters { get; set; } = 500;
}
