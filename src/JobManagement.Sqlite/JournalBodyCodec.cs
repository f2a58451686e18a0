using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;

namespace JobManagement.Sqlite;

/// <summary>
/// The compact row layout (the SQLite journal's schema 2): the fields a journal indexes or queries —
/// stream, sequence, event id, event type, lane — are columns of their own, every other field is one
/// <em>body</em> (canonical UTF-8 JSON, <see cref="JournalBodyJson"/>), and the checksum is computed over
/// the exact stored bytes. Reading a row hashes what was read, instead of re-serialising every field as
/// <see cref="JournalRowCodec"/> (the 17-column layout PostgreSQL keeps) must.
/// </summary>
/// <remarks>
/// <para><b>Checksum.</b> The 16-byte XxHash128 (System.IO.Hashing, seed 0) of: the position (int64,
/// little-endian); for stream, event id and event type in that order, the length of its UTF-8 bytes (int32,
/// little-endian) then the bytes; the sequence (int64, little-endian); the lane (int32, little-endian); then
/// the body bytes. Every stored column is covered, the position too (schema 1 did not cover it). Why not
/// SHA-256 as in schema 1: the checksum detects damage, not an adversary (who could recompute either), and
/// SHA-256's fixed cost per call (≈ 0.4 µs through the platform's crypto library, for a row of ≈ 150 bytes)
/// was a fifth of the whole replay budget; a 128-bit hash misses a random corruption with probability
/// 2^-128.</para>
/// <para>Not thread-safe: an instance keeps reusable buffers and small caches of values decoded from stored
/// bytes (stream ids, event types, attribute sets; immutable, so entries share them). Use one per reader
/// (which runs one query at a time) or per writer, from one thread at a time.</para>
/// </remarks>
internal sealed class JournalBodyCodec
{
    /// <summary>The columns, in the order <see cref="Read(DbDataReader)"/> expects: position, stream, sequence, event id and type,
    /// lane (integer), body (bytes), checksum (bytes).</summary>
    public const string Columns = "position, stream, sequence, event_id, event_type, lane, body, checksum";

    private const int ChecksumLength = 16;

    private readonly JournalBodyJson _json = new();
    private byte[] _framed = new byte[512];
    private byte[]? _text;
    private EncodedValueCache<JobId>? _streams;
    private EncodedValueCache<EventTypeId>? _types;

    /// <summary>The columns with a table alias, for joins.</summary>
    /// <param name="alias">The table alias.</param>
    /// <returns>The column list.</returns>
    public static string ColumnsOf(string alias) => string.Join(", ", Columns.Split(", ").Select(column => $"{alias}.{column}"));

    /// <summary>The body and checksum to store with an entry (its other columns are its own fields).</summary>
    /// <param name="entry">The entry, with its stream, sequence and position.</param>
    /// <returns>The body and the checksum.</returns>
    public JournalBody Encode(JobEventLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        byte[] body = _json.Write(entry).ToArray();
        Span<byte> hash = stackalloc byte[ChecksumLength];
        Hash(entry.Position, Encoding.UTF8.GetBytes(entry.JobId.Value), entry.Sequence, Encoding.UTF8.GetBytes(entry.EventId.Value), Encoding.UTF8.GetBytes(entry.EventType.Value), (int)entry.Lane, body, hash);
        return new JournalBody(body, hash.ToArray());
    }

    /// <summary>Reads the row at the reader's cursor (columns as <see cref="Columns"/>), verifying its checksum and every field.</summary>
    /// <param name="row">The reader, positioned on a row.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="JobJournalCorruptionException">The row is damaged; the exception names its stream and sequence.</exception>
    public JobEventLogEntry Read(DbDataReader row)
    {
        ArgumentNullException.ThrowIfNull(row);
        long position = row.GetInt64(0);
        long sequence = row.GetInt64(2);
        string stream = row.IsDBNull(1) ? string.Empty : row.GetString(1);
        string eventId = row.IsDBNull(3) ? string.Empty : row.GetString(3);
        string eventType = row.IsDBNull(4) ? string.Empty : row.GetString(4);
        long lane = row.IsDBNull(5) ? -1 : row.GetInt64(5);
        byte[] body = row.IsDBNull(6) ? [] : row.GetFieldValue<byte[]>(6);
        byte[] checksum = row.IsDBNull(7) ? [] : row.GetFieldValue<byte[]>(7);

        // A driver hands text columns over as strings: back to the UTF-8 bytes that were stored.
        int most = Encoding.UTF8.GetMaxByteCount(stream.Length + eventId.Length + eventType.Length);
        byte[] text = most <= 1_024 ? (_text ??= new byte[1_024]) : new byte[most];
        int streamLength = Encoding.UTF8.GetBytes(stream, text);
        int eventIdLength = Encoding.UTF8.GetBytes(eventId, text.AsSpan(streamLength));
        int eventTypeLength = Encoding.UTF8.GetBytes(eventType, text.AsSpan(streamLength + eventIdLength));
        return Read(
            position,
            text.AsSpan(0, streamLength),
            sequence,
            text.AsSpan(streamLength, eventIdLength),
            text.AsSpan(streamLength + eventIdLength, eventTypeLength),
            lane,
            body,
            checksum);
    }

    /// <summary>
    /// Reads a row from its stored bytes (for drivers that expose them, such as SQLite's): text columns as UTF-8,
    /// verifying the checksum over exactly these bytes, then every field.
    /// </summary>
    /// <param name="position">The position column.</param>
    /// <param name="stream">The stream column's UTF-8 bytes.</param>
    /// <param name="sequence">The sequence column.</param>
    /// <param name="eventId">The event id column's UTF-8 bytes.</param>
    /// <param name="eventType">The event type column's UTF-8 bytes.</param>
    /// <param name="lane">The lane column.</param>
    /// <param name="body">The body column.</param>
    /// <param name="checksum">The checksum column.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="JobJournalCorruptionException">The row is damaged; the exception names its stream and sequence.</exception>
    public JobEventLogEntry Read(long position, ReadOnlySpan<byte> stream, long sequence, ReadOnlySpan<byte> eventId, ReadOnlySpan<byte> eventType, long lane, ReadOnlySpan<byte> body, ReadOnlySpan<byte> checksum)
    {
        JobId jobId = ReadStream(stream, position, sequence);
        try
        {
            Span<byte> expected = stackalloc byte[ChecksumLength];
            if (lane is < int.MinValue or > int.MaxValue)
            {
                throw JournalRowCodec.Corrupt(jobId, sequence, string.Create(CultureInfo.InvariantCulture, $"unknown lane {lane}"));
            }

            Hash(position, stream, sequence, eventId, eventType, (int)lane, body, expected);
            if (!checksum.SequenceEqual(expected))
            {
                throw JournalRowCodec.Corrupt(jobId, sequence, "the row's checksum does not match its content (a changed or damaged row)");
            }

            if (lane is not (0 or 1))
            {
                throw JournalRowCodec.Corrupt(jobId, sequence, string.Create(CultureInfo.InvariantCulture, $"unknown lane {lane}"));
            }

            string eventIdText = Encoding.UTF8.GetString(eventId);
            BodyFields fields = _json.Read(body);
            return new JobEventLogEntry
            {
                Position = position,
                JobId = jobId,
                Sequence = sequence,
                EventId = EventId.TryParse(eventIdText, out EventId id) ? id : throw JournalRowCodec.Corrupt(jobId, sequence, $"invalid event id '{eventIdText}'"),
                EventType = ReadEventType(eventType, jobId, sequence),
                Lane = (EventLane)lane,
                TaskId = fields.TaskId is null ? null : TaskId.TryParse(fields.TaskId, out TaskId task) ? task : throw JournalRowCodec.Corrupt(jobId, sequence, $"invalid task id '{fields.TaskId}'"),
                OccurredAt = fields.OccurredAt,
                RecordedAt = fields.RecordedAt,
                Attributes = fields.Attributes,
                Payload = fields.Payload,
                Observability = fields.ExecutionId is null && fields.TraceId is null && fields.SpanId is null ? EventObservability.None : new EventObservability(fields.ExecutionId, fields.TraceId, fields.SpanId),
            };
        }
        catch (Exception exception) when (exception is JsonException or InvalidCastException or FormatException or ArgumentException or OverflowException)
        {
            throw JournalRowCodec.Corrupt(jobId, sequence, $"the row cannot be read: {exception.Message}", exception);
        }
    }

    /// <summary>The stream id, shared between rows of the same stream (ids are immutable; only the parse is skipped).</summary>
    private JobId ReadStream(ReadOnlySpan<byte> utf8, long position, long sequence) =>
        (_streams ??= new EncodedValueCache<JobId>(256)).GetOrParse(utf8, (position, sequence), static (text, at) =>
            JobId.TryParse(text, out JobId parsed) ? parsed : throw JournalRowCodec.Corrupt(default, at.sequence, $"row at position {at.position} has an invalid stream id '{text}'"));

    private EventTypeId ReadEventType(ReadOnlySpan<byte> utf8, JobId stream, long sequence) =>
        (_types ??= new EncodedValueCache<EventTypeId>(64)).GetOrParse(utf8, (stream, sequence), static (text, at) =>
            EventTypeId.TryParse(text, out EventTypeId parsed) ? parsed : throw JournalRowCodec.Corrupt(at.stream, at.sequence, $"invalid event type '{text}'"));

    /// <summary>The XxHash128 of the stored bytes, framed as documented on the type.</summary>
    private void Hash(long position, ReadOnlySpan<byte> stream, long sequence, ReadOnlySpan<byte> eventId, ReadOnlySpan<byte> eventType, int lane, ReadOnlySpan<byte> body, Span<byte> hash)
    {
        int most = sizeof(long) + (3 * sizeof(int)) + sizeof(long) + sizeof(int) + stream.Length + eventId.Length + eventType.Length + body.Length;
        if (_framed.Length < most)
        {
            _framed = new byte[Math.Max(most, _framed.Length * 2)];
        }

        Span<byte> framed = _framed;
        BinaryPrimitives.WriteInt64LittleEndian(framed, position);
        int length = sizeof(long);
        length += Frame(framed[length..], stream);
        length += Frame(framed[length..], eventId);
        length += Frame(framed[length..], eventType);
        BinaryPrimitives.WriteInt64LittleEndian(framed[length..], sequence);
        length += sizeof(long);
        BinaryPrimitives.WriteInt32LittleEndian(framed[length..], lane);
        length += sizeof(int);
        body.CopyTo(framed[length..]);
        XxHash128.Hash(framed[..(length + body.Length)], hash);
    }

    private static int Frame(Span<byte> destination, ReadOnlySpan<byte> utf8)
    {
        BinaryPrimitives.WriteInt32LittleEndian(destination, utf8.Length);
        utf8.CopyTo(destination[sizeof(int)..]);
        return sizeof(int) + utf8.Length;
    }

}
