using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace JobManagement;

/// <summary>
/// The one-column-per-field row layout (PostgreSQL's, and the SQLite journal's up to its schema
/// version 1, which it still reads to migrate), for anyone writing another SQL journal: the columns,
/// the canonical checksum, and reading a row back with every field verified. Every row carries a
/// checksum of its canonical bytes (a JSON array of every stored field in a fixed order), so a
/// flipped bit or a hand-edited row is detected on read, never silently served. Timestamps are
/// stored as UTC ticks plus the offset in minutes, so they round-trip to the tick with their offset.
/// </summary>
public static class JournalRowCodec
{
    private const int ChecksumLength = 16;

    // The two [ThreadStatic] fields below are the codec's only state: per-thread reusable buffers and a
    // cache of immutable decoded values. Neither can change what a row encodes or decodes to, which is
    // why they are allowed here despite the house rule against static mutable state (measured: replay
    // 1.48x faster, 1,426 -> 403 B per entry; docs/benchmarks.md).

    /// <summary>Each thread's canonical-bytes writer, reused row after row (it used to be allocated per row).</summary>
    [ThreadStatic]
    private static CanonicalWriter? t_canonical;

    /// <summary>Each thread's recently decoded attribute sets, by their stored text: immutable, so rows share them.</summary>
    [ThreadStatic]
    private static AttributeCache? t_attributes;

    /// <summary>The columns, in the order <see cref="Read"/> expects: position, stream, sequence, event id and type,
    /// lane (integer), task id, occurred and recorded time (UTC ticks, offset minutes), attributes and payload (JSON text),
    /// observability ids, checksum (bytes).</summary>
    public const string Columns = "position, stream, sequence, event_id, event_type, lane, task_id, occurred_ticks, occurred_offset, recorded_ticks, recorded_offset, attributes, payload, execution_id, trace_id, span_id, checksum";

    /// <summary>The columns with a table alias, for joins.</summary>
    /// <param name="alias">The table alias.</param>
    /// <returns>The column list.</returns>
    public static string ColumnsOf(string alias) => string.Join(", ", Columns.Split(", ").Select(column => $"{alias}.{column}"));

    /// <summary>The attributes as stored: a JSON object with ordinally sorted keys.</summary>
    /// <param name="attributes">The attributes.</param>
    /// <returns>The JSON text.</returns>
    public static string AttributesJson(EventAttributes attributes)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        if (attributes.Count == 0)
        {
            return "{}";
        }

        // The same text JsonSerializer writes through EventAttributesJsonConverter (same encoder), without its overhead.
        CanonicalWriter canonical = t_canonical ??= new CanonicalWriter();
        Utf8JsonWriter writer = canonical.Start();
        writer.WriteStartObject();
        foreach (KeyValuePair<string, string> pair in attributes.AsSpan())
        {
            writer.WriteString(pair.Key, pair.Value);
        }

        writer.WriteEndObject();
        writer.Flush();
        return Encoding.UTF8.GetString(canonical.Buffer.WrittenSpan);
    }

    /// <summary>The payload as stored: its raw JSON text, or null.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The JSON text.</returns>
    public static string? PayloadJson(JsonElement? payload) => payload?.GetRawText();

    /// <summary>A time's offset from UTC, in whole minutes (as stored).</summary>
    /// <param name="time">The time.</param>
    /// <returns>The offset in minutes.</returns>
    public static int OffsetMinutes(DateTimeOffset time) => (int)time.Offset.TotalMinutes;

    /// <summary>The checksum to store with a new row (the first 16 bytes of a SHA-256 of the canonical bytes).</summary>
    /// <param name="stream">The stream.</param>
    /// <param name="sequence">The row's sequence.</param>
    /// <param name="e">The event.</param>
    /// <param name="attributes">The attributes as stored (<see cref="AttributesJson"/>).</param>
    /// <param name="payload">The payload as stored (<see cref="PayloadJson"/>).</param>
    /// <returns>The checksum.</returns>
    public static byte[] Checksum(JobId stream, long sequence, NewJobEvent e, string attributes, string? payload) => Checksum(
        stream.Value, sequence, e.EventId.Value, e.EventType.Value, (int)e.Lane, e.TaskId?.Value,
        e.OccurredAt.UtcTicks, OffsetMinutes(e.OccurredAt), e.RecordedAt.UtcTicks, OffsetMinutes(e.RecordedAt),
        attributes, payload, e.Observability.ExecutionId, e.Observability.TraceId, e.Observability.SpanId);

    /// <summary>
    /// Reads an entry head from a row whose columns are, in order: position, stream, sequence, event type,
    /// and the job type from the job index when the entry is the stream's <c>job.created</c> (else null).
    /// No checksum is verified: heads only say which jobs moved; their entries are verified when read.
    /// </summary>
    /// <param name="row">The row.</param>
    /// <returns>The head.</returns>
    /// <exception cref="JobJournalCorruptionException">An id or type in the row is not valid.</exception>
    public static JobEventHead ReadHead(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        long position = row.GetInt64(0);
        string streamText = row.GetString(1);
        long sequence = row.GetInt64(2);
        JobId stream = JobId.TryParse(streamText, out JobId parsedStream) ? parsedStream : throw Corrupt(default, sequence, $"row at position {position} has an invalid stream id '{streamText}'");
        string eventType = row.GetString(3);
        string? jobType = row.IsDBNull(4) ? null : row.GetString(4);
        return new JobEventHead(
            position,
            stream,
            sequence,
            EventTypeId.TryParse(eventType, out EventTypeId type) ? type : throw Corrupt(stream, sequence, $"invalid event type '{eventType}'"),
            jobType is null ? null : JobType.TryParse(jobType, out JobType parsed) ? parsed : throw Corrupt(stream, sequence, $"invalid job type '{jobType}' in the job index"));
    }

    /// <summary>Reads the row at the reader's cursor (columns as <see cref="Columns"/>), verifying its checksum and every field.</summary>
    /// <param name="row">The reader, positioned on a row.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="JobJournalCorruptionException">The row is damaged; the exception names its stream and sequence.</exception>
    public static JobEventLogEntry Read(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        long position = row.GetInt64(0);
        string streamText = row.GetString(1);
        long sequence = row.GetInt64(2);
        JobId stream = JobId.TryParse(streamText, out JobId parsedStream) ? parsedStream : throw Corrupt(default, sequence, $"row at position {position} has an invalid stream id '{streamText}'");
        try
        {
            string eventId = row.GetString(3);
            string eventType = row.GetString(4);
            int lane = row.GetInt32(5);
            string? taskId = row.IsDBNull(6) ? null : row.GetString(6);
            long occurredTicks = row.GetInt64(7);
            int occurredOffset = row.GetInt32(8);
            long recordedTicks = row.GetInt64(9);
            int recordedOffset = row.GetInt32(10);
            string attributes = row.GetString(11);
            string? payload = row.IsDBNull(12) ? null : row.GetString(12);
            string? executionId = row.IsDBNull(13) ? null : row.GetString(13);
            string? traceId = row.IsDBNull(14) ? null : row.GetString(14);
            string? spanId = row.IsDBNull(15) ? null : row.GetString(15);
            byte[] stored = row.IsDBNull(16) ? [] : row.GetFieldValue<byte[]>(16);

            Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
            Hash(streamText, sequence, eventId, eventType, lane, taskId, occurredTicks, occurredOffset, recordedTicks, recordedOffset, attributes, payload, executionId, traceId, spanId, expected);
            if (!CryptographicOperations.FixedTimeEquals(stored, expected[..ChecksumLength]))
            {
                throw Corrupt(stream, sequence, "the row's checksum does not match its content (a changed or damaged row)");
            }

            if (lane is not (0 or 1))
            {
                throw Corrupt(stream, sequence, string.Create(CultureInfo.InvariantCulture, $"unknown lane {lane}"));
            }

            return new JobEventLogEntry
            {
                Position = position,
                JobId = stream,
                Sequence = sequence,
                EventId = EventId.TryParse(eventId, out EventId id) ? id : throw Corrupt(stream, sequence, $"invalid event id '{eventId}'"),
                EventType = EventTypeId.TryParse(eventType, out EventTypeId type) ? type : throw Corrupt(stream, sequence, $"invalid event type '{eventType}'"),
                Lane = (EventLane)lane,
                TaskId = taskId is null ? null : TaskId.TryParse(taskId, out TaskId task) ? task : throw Corrupt(stream, sequence, $"invalid task id '{taskId}'"),
                OccurredAt = ToTime(occurredTicks, occurredOffset),
                RecordedAt = ToTime(recordedTicks, recordedOffset),
                Attributes = ReadAttributes(attributes) ?? throw Corrupt(stream, sequence, "attributes are null"),
                Payload = payload is null ? null : JsonSerializer.Deserialize<JsonElement>(payload),
                Observability = executionId is null && traceId is null && spanId is null ? EventObservability.None : new EventObservability(executionId, traceId, spanId),
            };
        }
        catch (Exception exception) when (exception is JsonException or InvalidCastException or FormatException or ArgumentException or OverflowException)
        {
            throw Corrupt(stream, sequence, $"the row cannot be read: {exception.Message}", exception);
        }
    }

    /// <summary>The corruption error for a row, naming its stream (the unrouted stream when unknown) and sequence.</summary>
    /// <param name="stream">The stream, or default when unknown.</param>
    /// <param name="sequence">The sequence, if known.</param>
    /// <param name="problem">What is wrong.</param>
    /// <param name="inner">The cause, if any.</param>
    /// <returns>The exception, to throw.</returns>
    public static JobJournalCorruptionException Corrupt(JobId stream, long? sequence, string problem, Exception? inner = null) =>
        new(stream.IsDefault ? JobId.Unrouted : stream, sequence, problem, inner);

    private static DateTimeOffset ToTime(long utcTicks, int offsetMinutes)
    {
        TimeSpan offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    private static byte[] Checksum(string stream, long sequence, string eventId, string eventType, int lane, string? taskId, long occurredTicks, int occurredOffset, long recordedTicks, int recordedOffset, string attributes, string? payload, string? executionId, string? traceId, string? spanId)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Hash(stream, sequence, eventId, eventType, lane, taskId, occurredTicks, occurredOffset, recordedTicks, recordedOffset, attributes, payload, executionId, traceId, spanId, hash);
        return hash[..ChecksumLength].ToArray();
    }

    /// <summary>The SHA-256 of a row's canonical bytes: a JSON array of every stored field, in a fixed order.</summary>
    private static void Hash(string stream, long sequence, string eventId, string eventType, int lane, string? taskId, long occurredTicks, int occurredOffset, long recordedTicks, int recordedOffset, string attributes, string? payload, string? executionId, string? traceId, string? spanId, Span<byte> hash)
    {
        CanonicalWriter canonical = t_canonical ??= new CanonicalWriter();
        Utf8JsonWriter writer = canonical.Start();
        writer.WriteStartArray();
        writer.WriteStringValue(stream);
        writer.WriteNumberValue(sequence);
        writer.WriteStringValue(eventId);
        writer.WriteStringValue(eventType);
        writer.WriteNumberValue(lane);
        WriteNullable(writer, taskId);
        writer.WriteNumberValue(occurredTicks);
        writer.WriteNumberValue(occurredOffset);
        writer.WriteNumberValue(recordedTicks);
        writer.WriteNumberValue(recordedOffset);
        writer.WriteStringValue(attributes);
        WriteNullable(writer, payload);
        WriteNullable(writer, executionId);
        WriteNullable(writer, traceId);
        WriteNullable(writer, spanId);
        writer.WriteEndArray();
        writer.Flush();
        SHA256.HashData(canonical.Buffer.WrittenSpan, hash);
    }

    /// <summary>Decodes stored attributes: the empty set and recently seen texts without parsing, others with the attributes' converter.</summary>
    private static EventAttributes? ReadAttributes(string json)
    {
        if (json == "{}")
        {
            return EventAttributes.Empty;
        }

        AttributeCache cache = t_attributes ??= new AttributeCache();
        int slot = (json.GetHashCode(StringComparison.Ordinal) & int.MaxValue) % AttributeCache.Size;
        if (cache.Texts[slot] is { } text && string.Equals(text, json, StringComparison.Ordinal))
        {
            return cache.Values[slot];
        }

        EventAttributes? attributes = JsonSerializer.Deserialize<EventAttributes>(json, JobManagementJson.Options);
        if (attributes is not null && json.Length <= AttributeCache.MaxTextLength)
        {
            cache.Texts[slot] = json;
            cache.Values[slot] = attributes;
        }

        return attributes;
    }

    private static void WriteNullable(Utf8JsonWriter writer, string? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }

    /// <summary>A reusable buffer and JSON writer (the default encoder, as every row was written with).</summary>
    /// <remarks>One per thread, for the thread's lifetime: the writer holds no unmanaged resource, so it is never disposed.</remarks>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "Thread-static, lives as long as its thread; Utf8JsonWriter holds only managed buffers.")]
    private sealed class CanonicalWriter
    {
        private readonly Utf8JsonWriter _writer;

        public CanonicalWriter()
        {
            Buffer = new ArrayBufferWriter<byte>(512);
            _writer = new Utf8JsonWriter(Buffer, new JsonWriterOptions { Encoder = JobManagementJson.Options.Encoder ?? JavaScriptEncoder.Default });
        }

        public ArrayBufferWriter<byte> Buffer { get; }

        public Utf8JsonWriter Start()
        {
            Buffer.ResetWrittenCount();
            _writer.Reset(Buffer);
            return _writer;
        }
    }

    /// <summary>A small direct-mapped cache of decoded attribute sets, keyed by their stored JSON text.</summary>
    private sealed class AttributeCache
    {
        public const int Size = 256;

        public const int MaxTextLength = 2_048;

        public string?[] Texts { get; } = new string?[Size];

        public EventAttributes?[] Values { get; } = new EventAttributes?[Size];
    }
}
