using System.Text.Json;

namespace JobManagement;

/// <summary>
/// The two fields most events lack (a task id, a payload), held apart so that an event or an entry without them carries one
/// null reference instead of 40 bytes of empty fields. Shared, never changed: an event's entry and the journal's stored copy
/// point at the event's own.
/// </summary>
/// <param name="TaskId">The logical task the event concerns, if any.</param>
/// <param name="Payload">The JSON payload, if any.</param>
internal sealed record EventExtras(TaskId? TaskId, JsonElement? Payload)
{
    /// <summary>The extras for the two fields; null when both are absent.</summary>
    public static EventExtras? Of(TaskId? taskId, JsonElement? payload) => taskId is null && payload is null ? null : new(taskId, payload);
}
