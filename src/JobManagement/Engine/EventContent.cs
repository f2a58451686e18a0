using System.Text.Json;

namespace JobManagement;

/// <summary>Builds journal entries from what callers send, and compares a redelivery with what was recorded.</summary>
internal static class EventContent
{
    public static NewJobEvent ToNew(IncomingEvent incoming, JobId? addressedTo, DateTimeOffset recordedAt) => new()
    {
        EventId = incoming.EventId,
        EventType = incoming.Type,
        Lane = EventLane.Domain,
        TaskId = incoming.TaskId,
        OccurredAt = incoming.OccurredAt,
        RecordedAt = recordedAt,
        Attributes = addressedTo is { } target
            ? EventAttributes.CreateTrusted(incoming.Attributes.Append(KeyValuePair.Create(ReservedAttributes.TargetJob, target.Value)))
            : incoming.Attributes,
        Payload = incoming.Payload?.Clone(),
        Observability = JobEngineTelemetry.Capture(incoming.Observability),
    };

    /// <summary>A recorded event adopted by a job created after it: same id, type, time, attributes and payload.</summary>
    public static NewJobEvent Adopt(JobEventLogEntry recorded, DateTimeOffset recordedAt) => new()
    {
        EventId = recorded.EventId,
        EventType = recorded.EventType,
        Lane = recorded.Lane,
        TaskId = recorded.TaskId,
        OccurredAt = recorded.OccurredAt,
        RecordedAt = recordedAt,
        Attributes = recorded.Attributes,
        Payload = recorded.Payload,
        Observability = recorded.Observability,
    };

    public static NewJobEvent Execution(EventId eventId, EventTypeId type, DateTimeOffset now, EventAttributes? attributes = null, JsonElement? payload = null, EventObservability? observability = null) => new()
    {
        EventId = eventId,
        EventType = type,
        Lane = EventLane.Execution,
        OccurredAt = now,
        RecordedAt = now,
        Attributes = attributes ?? EventAttributes.Empty,
        Payload = payload,
        Observability = observability ?? EventObservability.None,
    };

    /// <summary>
    /// Whether a redelivery carries the content recorded for its event id. Recording time,
    /// observability ids and the engine's own reserved attributes (routing marks) are not content.
    /// </summary>
    public static bool SameContent(IncomingEvent incoming, JobEventLogEntry recorded)
    {
        if (incoming.Type != recorded.EventType || incoming.TaskId != recorded.TaskId || incoming.OccurredAt != recorded.OccurredAt)
        {
            return false;
        }

        EventAttributes stored = recorded.Attributes.ContainsKey(ReservedAttributes.TargetJob)
            ? EventAttributes.CreateTrusted(recorded.Attributes.Where(static p => !p.Key.StartsWith(EventAttributes.ReservedPrefix, StringComparison.Ordinal)))
            : recorded.Attributes;
        return incoming.Attributes.Equals(stored)
            && (incoming.Payload is null ? recorded.Payload is null : recorded.Payload is not null && JsonElement.DeepEquals(incoming.Payload.Value, recorded.Payload.Value));
    }
}
