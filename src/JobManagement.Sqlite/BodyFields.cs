using System.Text.Json;

namespace JobManagement.Sqlite;

/// <summary>The fields of an entry kept in a schema-2 row's body (<see cref="JournalBodyJson"/>), as read back.</summary>
internal readonly record struct BodyFields(string? TaskId, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, EventAttributes Attributes, JsonElement? Payload, string? ExecutionId, string? TraceId, string? SpanId);
