using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace JobManagement.Sqlite;

/// <summary>
/// The body of a schema-2 row (<see cref="JournalBodyCodec"/>): every field of an entry that is not a column of
/// its own, as one canonical UTF-8 JSON array — <c>[task id, occurred UTC ticks, occurred offset minutes,
/// recorded UTC ticks, recorded offset minutes, {attributes}, [payload], execution id, trace id, span id]</c>.
/// Absent values are <c>null</c>; attributes an object with ordinally sorted keys; the payload its raw JSON
/// text in an array of one, so that a JSON <c>null</c> payload (<c>[null]</c>) stays apart from none.
/// </summary>
/// <remarks>Not thread-safe: one per codec. Keeps a reusable writer and a cache of decoded attribute sets.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "Its Utf8JsonWriter holds only managed buffers; it lives as long as its codec.")]
internal sealed class JournalBodyJson
{
    private readonly ArrayBufferWriter<byte> _body = new(256);
    private readonly Utf8JsonWriter _writer;
    private EncodedValueCache<EventAttributes>? _attributes;

    public JournalBodyJson() =>
        _writer = new Utf8JsonWriter(_body, new JsonWriterOptions { Encoder = JobManagementJson.Options.Encoder ?? JavaScriptEncoder.Default });

    /// <summary>The entry's body; valid until the next call.</summary>
    public ReadOnlySpan<byte> Write(JobEventLogEntry entry)
    {
        _body.ResetWrittenCount();
        _writer.Reset(_body);
        _writer.WriteStartArray();
        WriteNullable(entry.TaskId?.Value);
        _writer.WriteNumberValue(entry.OccurredAt.UtcTicks);
        _writer.WriteNumberValue(JournalRowCodec.OffsetMinutes(entry.OccurredAt));
        _writer.WriteNumberValue(entry.RecordedAt.UtcTicks);
        _writer.WriteNumberValue(JournalRowCodec.OffsetMinutes(entry.RecordedAt));
        _writer.WriteStartObject();
        foreach (KeyValuePair<string, string> pair in entry.Attributes)
        {
            _writer.WriteString(pair.Key, pair.Value);
        }

        _writer.WriteEndObject();
        if (entry.Payload is { } payload)
        {
            // In an array of one, so a JSON null payload stays apart from no payload; the raw text, byte for byte,
            // so the payload reads back exactly as it was given.
            _writer.WriteStartArray();
            _writer.WriteRawValue(payload.GetRawText(), skipInputValidation: true);
            _writer.WriteEndArray();
        }
        else
        {
            _writer.WriteNullValue();
        }

        WriteNullable(entry.Observability.ExecutionId);
        WriteNullable(entry.Observability.TraceId);
        WriteNullable(entry.Observability.SpanId);
        _writer.WriteEndArray();
        _writer.Flush();

        return _body.WrittenSpan;
    }

    /// <summary>The entry's other fields, from its (verified) body.</summary>
    /// <exception cref="JsonException">The body is not a valid body.</exception>
    public BodyFields Read(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        Expect(ref reader, JsonTokenType.StartArray);
        string? taskId = NextString(ref reader);
        DateTimeOffset occurred = ToTime(NextInt64(ref reader), NextInt32(ref reader));
        DateTimeOffset recorded = ToTime(NextInt64(ref reader), NextInt32(ref reader));
        EventAttributes attributes = NextAttributes(ref reader, body);
        JsonElement? payload = NextPayload(ref reader);
        string? executionId = NextString(ref reader);
        string? traceId = NextString(ref reader);
        string? spanId = NextString(ref reader);
        Expect(ref reader, JsonTokenType.EndArray);
        if (reader.Read())
        {
            throw new JsonException("the body has content after its end");
        }

        return new BodyFields(taskId, occurred, recorded, attributes, payload, executionId, traceId, spanId);
    }

    private EventAttributes NextAttributes(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        int start = (int)reader.TokenStartIndex;
        reader.Skip();
        ReadOnlySpan<byte> json = body[start..(int)reader.BytesConsumed];
        if (json.Length == 2)
        {
            return EventAttributes.Empty; // "{}"
        }

        // Decoded once per distinct text: a journal holds few distinct sets (correlation values), and they are immutable.
        _attributes ??= new EncodedValueCache<EventAttributes>(256);
        if (!_attributes.TryGet(json, out EventAttributes? attributes))
        {
            attributes = JsonSerializer.Deserialize<EventAttributes>(json, JobManagementJson.Options) ?? throw new JsonException("attributes are null");
            _attributes.Add(json, attributes);
        }

        return attributes;
    }

    private static JsonElement? NextPayload(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"expected the payload in an array of one, found {reader.TokenType}");
        }

        Next(ref reader);
        JsonElement payload = JsonElement.ParseValue(ref reader);
        Expect(ref reader, JsonTokenType.EndArray);
        return payload;
    }

    private static string? NextString(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        return reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => reader.GetString(),
            _ => throw new JsonException($"expected a string or null, found {reader.TokenType}"),
        };
    }

    private static long NextInt64(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number);
        return reader.TryGetInt64(out long value) ? value : throw new JsonException("a number is out of range");
    }

    private static int NextInt32(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number);
        return reader.TryGetInt32(out int value) ? value : throw new JsonException("a number is out of range");
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        Next(ref reader);
        if (reader.TokenType != type)
        {
            throw new JsonException($"expected {type}, found {reader.TokenType}");
        }
    }

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw new JsonException("the body ends early");
        }
    }

    private static DateTimeOffset ToTime(long utcTicks, int offsetMinutes)
    {
        TimeSpan offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    private void WriteNullable(string? value)
    {
        if (value is null)
        {
            _writer.WriteNullValue();
        }
        else
        {
            _writer.WriteStringValue(value);
        }
    }
}
