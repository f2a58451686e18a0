using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace JobManagement;

/// <summary>
/// A defined, reused, semantic category of event, named in the past tense:
/// <c>payment.captured</c>, <c>shipment.delivered</c>. Not a per-instance id.
/// </summary>
/// <remarks>
/// <para>Naming rule: 1–128 characters; lower-case segments of <c>[a-z0-9]</c> separated by
/// <c>.</c>, with <c>-</c> or <c>_</c> allowed inside a segment; no leading, trailing or
/// repeated separators.</para>
/// <para>The <c>job.</c> namespace is reserved for execution facts that only the engine writes
/// (see <see cref="ExecutionEventTypes"/>); a domain event in it is rejected.</para>
/// <para><c>default(EventTypeId)</c> is not valid. Immutable, thread-safe, ordinal equality.</para>
/// </remarks>
[JsonConverter(typeof(IdentifierJsonConverter<EventTypeId>))]
public readonly record struct EventTypeId : IParsable<EventTypeId>
{
    /// <summary>The longest accepted event type, in characters.</summary>
    public const int MaxLength = 128;

    /// <summary>The prefix reserved for execution facts written by the engine.</summary>
    public const string ExecutionNamespace = "job.";

    private readonly string? _value;

    private EventTypeId(string value) => _value = value;

    /// <summary>Gets the event type as text.</summary>
    /// <exception cref="InvalidOperationException">The instance is <c>default</c>.</exception>
    public string Value => _value ?? throw new InvalidOperationException("default(EventTypeId) is not a valid event type.");

    /// <summary>Gets a value indicating whether this is <c>default(EventTypeId)</c>, which is not valid.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Gets a value indicating whether this type is in the reserved execution namespace (<c>job.</c>).</summary>
    public bool IsExecution => _value is not null && _value.StartsWith(ExecutionNamespace, StringComparison.Ordinal);

    /// <summary>Parses an event type.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The event type.</returns>
    /// <exception cref="ArgumentException">The text breaks the naming rule; the message says how.</exception>
    public static EventTypeId Parse(string value) => ParseCore(value);

    /// <summary>An event type whose text was a valid one already (the in-memory journal keeps event types as their strings).</summary>
    internal static EventTypeId FromTrusted(string value) => new(value);

    /// <inheritdoc />
    static EventTypeId IParsable<EventTypeId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    private static EventTypeId ParseCore(string s) =>
        IdentifierRules.ValidateDotted(s, MaxLength) is { } problem
            ? throw IdentifierRules.Invalid(nameof(EventTypeId), s, problem, "value")
            : new EventTypeId(s);

    /// <summary>Tries to parse an event type.</summary>
    /// <param name="value">The text.</param>
    /// <param name="result">The event type, or <c>default</c>.</param>
    /// <returns>Whether the text followed the naming rule.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out EventTypeId result) => TryParseCore(value, out result);

    /// <inheritdoc />
    static bool IParsable<EventTypeId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out EventTypeId result) => TryParseCore(s, out result);

    private static bool TryParseCore([NotNullWhen(true)] string? s, out EventTypeId result)
    {
        bool valid = IdentifierRules.ValidateDotted(s, MaxLength) is null;
        result = valid ? new EventTypeId(s!) : default;
        return valid;
    }

    /// <summary>Returns the event type's text, or an empty string for <c>default</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => _value ?? string.Empty;
}
