namespace JobManagement;

/// <summary>
/// The observability part of an event: identifiers that let a person follow an event through
/// traces and logs. Kept apart from everything that decides state: the projector never reads it,
/// so randomising these ids over a journal gives identical job state.
/// </summary>
/// <param name="ExecutionId">The id of the execution (request, message handling, attempt) that produced the event.</param>
/// <param name="TraceId">The W3C trace id, when the producer was traced.</param>
/// <param name="SpanId">The W3C span id, when the producer was traced.</param>
public sealed record EventObservability(string? ExecutionId = null, string? TraceId = null, string? SpanId = null)
{
    /// <summary>The most characters accepted in each identifier.</summary>
    public const int MaxLength = 128;

    /// <summary>Gets the value with no identifiers.</summary>
    public static EventObservability None { get; } = new();

    /// <summary>Returns the first problem with the identifiers, or null.</summary>
    internal string? Validate() =>
        TooLong(ExecutionId, nameof(ExecutionId)) ?? TooLong(TraceId, nameof(TraceId)) ?? TooLong(SpanId, nameof(SpanId));

    private static string? TooLong(string? value, string name) =>
        value is { Length: > MaxLength } ? $"Observability.{name} is {value.Length} characters; at most {MaxLength} are allowed" : null;
}
