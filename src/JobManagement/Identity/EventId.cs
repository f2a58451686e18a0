using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace JobManagement;

/// <summary>
/// The identity of one event <em>instance</em>, and the idempotency key: the producer keeps it
/// across retries and redelivery, and a second delivery of the same id changes nothing.
/// 1–200 printable characters without whitespace (producers' own ids, such as a webhook's
/// delivery id, are accepted as they are).
/// </summary>
/// <remarks><c>default(EventId)</c> is not a valid id. Immutable, thread-safe, ordinal equality.</remarks>
[JsonConverter(typeof(IdentifierJsonConverter<EventId>))]
public readonly record struct EventId : IParsable<EventId>
{
    /// <summary>The longest accepted id, in characters.</summary>
    public const int MaxLength = 200;

    private readonly string? _value;

    private EventId(string value) => _value = value;

    /// <summary>Gets the id as text.</summary>
    /// <exception cref="InvalidOperationException">The instance is <c>default</c>.</exception>
    public string Value => _value ?? throw new InvalidOperationException("default(EventId) is not a valid event id.");

    /// <summary>Gets a value indicating whether this is <c>default(EventId)</c>, which is not a valid id.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Creates a new time-ordered (UUIDv7) event id, for events the application originates.</summary>
    /// <param name="timeProvider">The clock for the id's time component; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>A new id.</returns>
    public static EventId New(TimeProvider? timeProvider = null) =>
        new(Guid.CreateVersion7((timeProvider ?? TimeProvider.System).GetUtcNow()).ToString());

    /// <summary>An id made of a UUID, formatted as <see cref="New"/> formats it (no validation needed).</summary>
    internal static EventId FromUuid(Guid uuid) => new(uuid.ToString());

    /// <summary>An id from text that was a valid event id when it was first made (a journal's stored copy): not checked again.</summary>
    internal static EventId FromTrusted(string value) => new(value);

    /// <summary>Parses an event id.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentException">The text is not a valid event id; the message says why.</exception>
    public static EventId Parse(string value) => ParseCore(value);

    /// <inheritdoc />
    static EventId IParsable<EventId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    private static EventId ParseCore(string s) =>
        IdentifierRules.ValidateOpaque(s, MaxLength) is { } problem
            ? throw IdentifierRules.Invalid(nameof(EventId), s, problem, "value")
            : new EventId(s);

    /// <summary>Tries to parse an event id.</summary>
    /// <param name="value">The text.</param>
    /// <param name="result">The id, or <c>default</c>.</param>
    /// <returns>Whether the text was a valid id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out EventId result) => TryParseCore(value, out result);

    /// <inheritdoc />
    static bool IParsable<EventId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out EventId result) => TryParseCore(s, out result);

    private static bool TryParseCore([NotNullWhen(true)] string? s, out EventId result)
    {
        bool valid = IdentifierRules.ValidateOpaque(s, MaxLength) is null;
        result = valid ? new EventId(s!) : default;
        return valid;
    }

    /// <summary>Derives a deterministic id for a fact the engine records on behalf of a request,
    /// so that retrying the request derives the same id and stays idempotent.</summary>
    /// <param name="suffix">A short, fixed suffix naming the derived fact.</param>
    /// <returns>The derived id.</returns>
    internal EventId Derive(string suffix)
    {
        string text = $"{Value}/{suffix}";
        if (text.Length <= MaxLength)
        {
            return new EventId(text);
        }

        // Truncating could make two long ids derive the same id; a digest cannot (in practice).
        byte[] digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Value));
        return new EventId($"sha256:{Convert.ToHexStringLower(digest)}/{suffix}");
    }

    /// <summary>Returns the id's text, or an empty string for <c>default</c>.</summary>
    /// <returns>The id's text.</returns>
    public override string ToString() => _value ?? string.Empty;
}
