using System.Buffers.Binary;
using System.Security.Cryptography;

namespace JobManagement;

/// <summary>
/// Makes the engine's own time-ordered ids (UUIDv7, RFC 9562: 48 bits of Unix milliseconds from the engine's
/// clock, then 74 random bits), formatted as <see cref="EventId.New"/> and <see cref="JobId.New"/> format them.
/// </summary>
/// <remarks>
/// The random bits come from the operating system's cryptographic generator, as <see cref="Guid.CreateVersion7()"/>'s
/// do, but drawn 4 KB at a time: on Linux <see cref="Guid.NewGuid"/> reads the kernel's generator once per id, a
/// system call that cost more than a whole in-memory append and that a job pays for five ids. One per engine, so
/// no state is shared between engines.
/// </remarks>
internal sealed class IdSource(TimeProvider time)
{
    private const int RandomBytesPerId = 10;
    private const int BlockSize = 4000; // a multiple of RandomBytesPerId

    private readonly Lock _sync = new();
    private readonly byte[] _random = new byte[BlockSize];
    private int _taken = BlockSize;

    public EventId NewEventId() => EventId.FromUuid(NewUuid());

    /// <summary>A new event id whose time is <paramref name="at"/>: for a fact recorded at that time, whose caller has read the clock already.</summary>
    public EventId NewEventId(DateTimeOffset at) => EventId.FromUuid(NewUuid(at));

    public JobId NewJobId() => JobId.FromUuid(NewUuid());

    /// <summary>A new job id whose time component is <paramref name="at"/> (a clock reading the caller already has).</summary>
    public JobId NewJobId(DateTimeOffset at) => JobId.FromUuid(NewUuid(at));

    /// <summary>A new UUIDv7 on the engine's clock.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The clock reads a time before the Unix epoch (as <see cref="Guid.CreateVersion7(DateTimeOffset)"/> throws).</exception>
    public Guid NewUuid() => NewUuid(time.GetUtcNow());

    /// <summary>A new UUIDv7 with the time <paramref name="at"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The time is before the Unix epoch.</exception>
    public Guid NewUuid(DateTimeOffset at)
    {
        long milliseconds = at.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, "timestamp");
        Span<byte> bytes = stackalloc byte[16];
        lock (_sync)
        {
            if (_taken == BlockSize)
            {
                RandomNumberGenerator.Fill(_random);
                _taken = 0;
            }

            _random.AsSpan(_taken, RandomBytesPerId).CopyTo(bytes[6..]);
            _taken += RandomBytesPerId;
        }

        // Big-endian (RFC) layout: unix_ts_ms (48) | ver = 7 (4) | rand_a (12) | var = 0b10 (2) | rand_b (62).
        BinaryPrimitives.WriteInt64BigEndian(bytes, milliseconds << 16 | (long)(bytes[6] << 8 | bytes[7]));
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true);
    }
}
