using System.Text.Json;

namespace JobManagement;

/// <summary>
/// The canonical event an application hands to <see cref="JobEngine.IngestAsync"/>: a domain fact
/// with its idempotency key, its semantic type, when it happened, optional routing
/// (<see cref="JobId"/>, <see cref="TaskId"/>), correlation <see cref="Attributes"/>, an optional
/// JSON payload and, kept apart, its <see cref="Observability"/> identifiers.
/// </summary>
/// <remarks>
/// Without a <see cref="JobId"/>, the engine routes the event by correlation to every job whose
/// plan expects it. Immutable; validation happens at ingestion, which rejects bad input with a
/// reason that names the field and appends nothing.
/// </remarks>
public sealed record IncomingEvent
{
    /// <summary>Gets the event instance's identity: the idempotency key, kept by the producer across retries.</summary>
    public required EventId EventId { get; init; }

    /// <summary>Gets the event's semantic type, such as <c>payment.captured</c>.</summary>
    public required EventTypeId Type { get; init; }

    /// <summary>Gets when the event happened, according to its producer. For reporting only: order comes from the journal.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Gets the job the event is addressed to, or null to route by correlation.</summary>
    public JobId? JobId { get; init; }

    /// <summary>Gets the logical task inside the job the event concerns, if any.</summary>
    public TaskId? TaskId { get; init; }

    /// <summary>Gets the correlation attributes. Defaults to <see cref="EventAttributes.Empty"/>.</summary>
    public EventAttributes Attributes { get; init; } = EventAttributes.Empty;

    /// <summary>Gets the optional JSON payload, stored as given (bounded by <see cref="JobEngineOptions.MaxPayloadBytes"/>).</summary>
    public JsonElement? Payload { get; init; }

    /// <summary>Gets the observability identifiers. Never influence state. Defaults to <see cref="EventObservability.None"/>.</summary>
    public EventObservability Observability { get; init; } = EventObservability.None;
}
