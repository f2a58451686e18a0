using System.Runtime.InteropServices;

namespace JobManagement;

/// <summary>
/// The in-memory journal's form of an event id. An id written as a UUID the way the engine writes its own
/// (lowercase, hyphenated, 36 characters) is kept as its 16 bytes; any other id keeps its string.
/// </summary>
/// <remarks>
/// The journal keeps every entry for good, so every string it holds is copied by each young collection that
/// promotes it, twice before it settles. The engine's own facts (attempt started, attempt ended, retries) carry
/// UUID ids, so keeping those as bytes keeps no object per entry. The two forms never name the same id: a UUID
/// written any other way (uppercase, braces) is a different string, so it stays a string.
/// </remarks>
internal readonly struct StoredEventId : IEquatable<StoredEventId>
{
    private const int UuidLength = 36;

    private readonly Guid _uuid;
    private readonly string? _text;

    private StoredEventId(Guid uuid, string? text)
    {
        _uuid = uuid;
        _text = text;
    }

    /// <summary>Gets a value indicating whether the id is kept as a UUID's bytes, with no string.</summary>
    public bool IsCompact => _text is null;

    /// <summary>The stored form of <paramref name="eventId"/>.</summary>
    public static StoredEventId From(EventId eventId)
    {
        string text = eventId.Value;
        return IsCanonicalUuid(text) ? new StoredEventId(Guid.ParseExact(text, "D"), text: null) : new StoredEventId(default, text);
    }

    /// <summary>The event id again: the same characters it was stored from.</summary>
    public EventId ToEventId() => _text is null ? EventId.FromUuid(_uuid) : EventId.FromTrusted(_text);

    /// <inheritdoc/>
    public bool Equals(StoredEventId other) =>
        _text is null ? other._text is null && _uuid == other._uuid : string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is StoredEventId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        if (_text is not null)
        {
            return _text.GetHashCode(StringComparison.Ordinal); // randomized per process, as a string-keyed dictionary's fallback
        }

        // All 128 bits through the per-process seeded hash: event ids come from outside, and a hash of
        // Guid.GetHashCode (an xor of its four parts) would let a caller choose ids that all collide.
        ReadOnlySpan<int> parts = MemoryMarshal.Cast<Guid, int>(new ReadOnlySpan<Guid>(in _uuid));
        return HashCode.Combine(parts[0], parts[1], parts[2], parts[3]);
    }

    /// <inheritdoc/>
    public override string ToString() => ToEventId().Value;

    /// <summary>Whether <paramref name="text"/> is exactly what <see cref="Guid.ToString()"/> writes: the only text kept as bytes.</summary>
    internal static bool IsCanonicalUuid(string text)
    {
        if (text.Length != UuidLength)
        {
            return false;
        }

        for (int i = 0; i < UuidLength; i++)
        {
            char c = text[i];
            bool valid = i is 8 or 13 or 18 or 23 ? c == '-' : char.IsAsciiDigit(c) || c is >= 'a' and <= 'f';
            if (!valid)
            {
                return false;
            }
        }

        return true;
    }
}
