namespace JobManagement;

/// <summary>
/// Asks the journal's job index for jobs of one type, optionally with one correlation value.
/// The index is derived from <c>job.created</c> entries and written with them.
/// </summary>
/// <param name="JobType">The job type.</param>
/// <param name="CorrelationKey">A correlation key the job must have, or null for every job of the type.</param>
/// <param name="CorrelationValue">The value the key must have; required with <paramref name="CorrelationKey"/>.</param>
/// <remarks>A struct because the engine makes one (or two) per routed event. <c>default</c> is invalid (no job type).</remarks>
public readonly record struct JobLookup(JobType JobType, string? CorrelationKey = null, string? CorrelationValue = null);

/// <summary>
/// Asks the journal for recorded domain-lane entries (in any stream) by type and/or one attribute,
/// so that a job created late can adopt events recorded before it existed.
/// </summary>
/// <param name="EventType">The event type, or null for any type.</param>
/// <param name="AttributeKey">An attribute key the entry must carry, or null.</param>
/// <param name="AttributeValue">The value the attribute must have; required with <paramref name="AttributeKey"/>.</param>
public sealed record RecordedEventLookup(EventTypeId? EventType, string? AttributeKey = null, string? AttributeValue = null);
