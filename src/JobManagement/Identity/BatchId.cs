using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace JobManagement;

/// <summary>
/// The identity of one batch of jobs submitted together with <see cref="JobEngine.SubmitBatchAsync"/>:
/// 1–100 ASCII letters, digits or <c>- _ . : @</c>. The engine derives it from the submission's
/// request id, so a retry (on any node) names the same batch.
/// </summary>
/// <remarks><c>default(BatchId)</c> is not a valid id. Immutable, thread-safe, ordinal equality.</remarks>
[JsonConverter(typeof(IdentifierJsonConverter<BatchId>))]
public readonly record struct BatchId : IParsable<BatchId>
{
    /// <summary>The longest accepted id, in characters (short enough that its journal stream is a valid stream id).</summary>
    public const int MaxLength = 100;

    private readonly string? _value;

    private BatchId(string value) => _value = value;

    /// <summary>Gets the id as text.</summary>
    /// <exception cref="InvalidOperationException">The instance is <c>default</c>.</exception>
    public string Value => _value ?? throw new InvalidOperationException("default(BatchId) is not a valid batch id.");

    /// <summary>Gets a value indicating whether this is <c>default(BatchId)</c>, which is not a valid id.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Parses a batch id.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentException">The text is not a valid batch id; the message says why.</exception>
    public static BatchId Parse(string value) => ParseCore(value);

    /// <inheritdoc />
    static BatchId IParsable<BatchId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    private static BatchId ParseCore(string s) =>
        IdentifierRules.ValidateKey(s, MaxLength) is { } problem
            ? throw IdentifierRules.Invalid(nameof(BatchId), s, problem, "value")
            : new BatchId(s);

    /// <summary>Tries to parse a batch id.</summary>
    /// <param name="value">The text.</param>
    /// <param name="result">The id, or <c>default</c>.</param>
    /// <returns>Whether the text was a valid id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out BatchId result) => TryParseCore(value, out result);

    /// <inheritdoc />
    static bool IParsable<BatchId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out BatchId result) => TryParseCore(s, out result);

    private static bool TryParseCore([NotNullWhen(true)] string? s, out BatchId result)
    {
        bool valid = IdentifierRules.ValidateKey(s, MaxLength) is null;
        result = valid ? new BatchId(s!) : default;
        return valid;
    }

    /// <summary>Returns the id's text, or an empty string for <c>default</c>.</summary>
    /// <returns>The id's text.</returns>
    public override string ToString() => _value ?? string.Empty;

    /// <summary>The batch id a submission's request id names: a digest, so any request id gives a valid, fixed-length id.</summary>
    internal static BatchId For(EventId requestId)
    {
        byte[] digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(requestId.Value));
        return new BatchId("b-" + Convert.ToHexStringLower(digest.AsSpan(0, 16)));
    }
}
