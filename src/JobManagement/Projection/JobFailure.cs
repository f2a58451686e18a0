namespace JobManagement;

/// <summary>Why a job failed: which rule or execution fact, and the entry that carried it.</summary>
/// <param name="Reason">A readable reason, such as <c>failure rule 'payment-declined' matched payment.declined</c>.</param>
/// <param name="RuleName">The plan's failure rule that matched, when a rule caused it.</param>
/// <param name="CausedBy">The entry that caused the failure.</param>
/// <param name="EventType">That entry's type.</param>
/// <param name="Error">The handler's exception, when a failed attempt with no retry left caused it.</param>
public sealed record JobFailure(string Reason, string? RuleName, EntryReference CausedBy, EventTypeId EventType, ExecutionFailure? Error = null);
