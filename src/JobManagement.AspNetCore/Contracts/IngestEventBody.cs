using System.Text.Json;

namespace JobManagement.AspNetCore;

/// <summary>The body of <c>POST {prefix}/events</c>: an <see cref="IncomingEvent"/>, as JSON.</summary>
public sealed record IngestEventBody
{
    /// <summary>Gets the event's id, the idempotency key. Required.</summary>
    public string? EventId { get; init; }

    /// <summary>Gets the event's type, such as <c>payment.captured</c>. Required; not in the reserved <c>job.</c> namespace.</summary>
    public string? Type { get; init; }

    /// <summary>Gets when the event happened, according to its producer. Required.</summary>
    public DateTimeOffset? OccurredAt { get; init; }

    /// <summary>Gets the job the event is addressed to, or null to route it by correlation.</summary>
    public string? JobId { get; init; }

    /// <summary>Gets the task inside the job the event concerns, or null.</summary>
    public string? TaskId { get; init; }

    /// <summary>Gets the correlation attributes.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }

    /// <summary>Gets the payload.</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>Gets the observability identifiers (never influence state).</summary>
    public EventObservability? Observability { get; init; }
}
