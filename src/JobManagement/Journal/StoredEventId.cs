using System.Runtime.InteropServices;

namespace JobManagement;

/// <summary>
/// The in-memory journal's form of an event id. An id written as a UUID the way the engine writes its own
/// (lowercase, hyphenated, 36 characters) is kept as its 16 bytes. An id the engine derives from the id of the entry
/// before it in its stream (a new job's <c>job.started</c>, "<i>request id</i>/start") shares that entry's string.
/// Any other id keeps its string.
/// </summary>
/// <remarks>
/// The journal keeps every entry for good, so every string it holds is copied by each young collection that
/// promotes it, twice before it settles. The engine's own facts (attempt started, attempt ended, retries) carry
/// UUID ids, so keeping those as bytes keeps no object per entry. The bytes and a string never name the same id: a
/// UUID written any other way (uppercase, braces) is a different string, so it stays a string. A derived id is the same
/// id as its whole text (equal, with the same hash), so a lookup by the text finds it.
/// </remarks>
internal readonly struct StoredEventId : IEquatable<StoredEventId>
{
    private const int UuidLength = 36;
    private const string StartSuffix = "/start";

    private readonly Guid _uuid;     // the id, when _text is null
    private readonly string? _text;  // the id; with a suffix, the id it was derived from
    private readonly string? _suffix; // null, or StartSuffix: the id is _text + _suffix

    private StoredEventId(Guid uuid, string? text, string? suffix = null)
    {
        _uuid = uuid;
        _text = text;
        _suffix = suffix;
    }

    /// <summary>Gets the id's bytes when it is kept as a UUID's (<see cref="Text"/> is null).</summary>
    public Guid Uuid => _uuid;

    /// <summary>Gets the id's text, or the text it was derived from (<see cref="IsDerived"/>); null when kept as a UUID's bytes.</summary>
    public string? Text => _text;

    /// <summary>Gets a value indicating whether the id is kept as a UUID's bytes, with no string.</summary>
    public bool IsCompact => _text is null;

    /// <summary>The id made of the parts the journal keeps apart (<see cref="Uuid"/>, <see cref="Text"/>, <see cref="IsDerived"/>).</summary>
    public static StoredEventId FromParts(Guid uuid, string? text, bool derived) =>
        new(text is null ? uuid : default, text, text is not null && derived ? StartSuffix : null);

    /// <summary>The stored form of <paramref name="eventId"/>.</summary>
    public static StoredEventId From(EventId eventId)
    {
        string text = eventId.Value;
        return IsCanonicalUuid(text) ? new StoredEventId(Guid.ParseExact(text, "D"), text: null) : new StoredEventId(default, text);
    }

    /// <summary>
    /// This id, sharing the string of <paramref name="previous"/> (the stream's entry before it) when this id is that
    /// one's text followed by "/start"; otherwise this id as it is.
    /// </summary>
    public StoredEventId DerivedFrom(in StoredEventId previous)
    {
        if (_text is { } text && _suffix is null && previous._text is { } prefix && previous._suffix is null
            && text.Length == prefix.Length + StartSuffix.Length
            && text.EndsWith(StartSuffix, StringComparison.Ordinal) && text.StartsWith(prefix, StringComparison.Ordinal))
        {
            return new StoredEventId(default, prefix, StartSuffix);
        }

        return this;
    }

    /// <summary>Gets a value indicating whether the id shares the string of the id it was derived from.</summary>
    public bool IsDerived => _suffix is not null;

    /// <summary>The event id again: the same characters it was stored from.</summary>
    public EventId ToEventId() =>
        _text is null ? EventId.FromUuid(_uuid) : EventId.FromTrusted(_suffix is null ? _text : string.Concat(_text, _suffix));

    /// <inheritdoc/>
    public bool Equals(StoredEventId other)
    {
        if (_text is null || other._text is null)
        {
            return _text is null && other._text is null && _uuid == other._uuid;
        }

        if (_suffix is null && other._suffix is null)
        {
            return string.Equals(_text, other._text, StringComparison.Ordinal);
        }

        return _suffix is null ? other.IsText(_text)
            : other._suffix is null ? IsText(other._text)
            : string.Equals(_text, other._text, StringComparison.Ordinal) && string.Equals(_suffix, other._suffix, StringComparison.Ordinal);
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is StoredEventId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        if (_text is not null)
        {
            // Randomized per process, as a string-keyed dictionary's fallback; a derived id hashes its whole text.
            return _suffix is null ? string.GetHashCode(_text.AsSpan()) : HashOfDerived(_text, _suffix);
        }

        // All 128 bits through the per-process seeded hash: event ids come from outside, and a hash of
        // Guid.GetHashCode (an xor of its four parts) would let a caller choose ids that all collide.
        ReadOnlySpan<int> parts = MemoryMarshal.Cast<Guid, int>(new ReadOnlySpan<Guid>(in _uuid));
        return HashCode.Combine(parts[0], parts[1], parts[2], parts[3]);
    }

    /// <inheritdoc/>
    public override string ToString() => ToEventId().Value;

    private static int HashOfDerived(string prefix, string suffix)
    {
        Span<char> whole = stackalloc char[EventId.MaxLength + StartSuffix.Length];
        prefix.AsSpan().CopyTo(whole);
        suffix.AsSpan().CopyTo(whole[prefix.Length..]);
        return string.GetHashCode(whole[..(prefix.Length + suffix.Length)]);
    }

    /// <summary>Whether this derived id's whole text is <paramref name="text"/>.</summary>
    private bool IsText(string text) =>
        text.Length == _text!.Length + _suffix!.Length
        && text.StartsWith(_text, StringComparison.Ordinal)
        && text.EndsWith(_suffix, StringComparison.Ordinal);

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
