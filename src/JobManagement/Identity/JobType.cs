using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace JobManagement;

/// <summary>
/// The name a <see cref="JobPlan"/> is registered under, such as <c>order-fulfillment</c>.
/// Follows the same rule as <see cref="EventTypeId"/>: lower-case dotted segments, 1–128 characters.
/// </summary>
/// <remarks><c>default(JobType)</c> is not valid. Immutable, thread-safe, ordinal equality.</remarks>
[JsonConverter(typeof(IdentifierJsonConverter<JobType>))]
public readonly record struct JobType : IParsable<JobType>
{
    /// <summary>The longest accepted name, in characters.</summary>
    public const int MaxLength = 128;

    private readonly string? _value;

    private JobType(string value) => _value = value;

    /// <summary>Gets the job type as text.</summary>
    /// <exception cref="InvalidOperationException">The instance is <c>default</c>.</exception>
    public string Value => _value ?? throw new InvalidOperationException("default(JobType) is not a valid job type.");

    /// <summary>Gets a value indicating whether this is <c>default(JobType)</c>, which is not valid.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Parses a job type.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The job type.</returns>
    /// <exception cref="ArgumentException">The text breaks the naming rule; the message says how.</exception>
    public static JobType Parse(string value) => ParseCore(value);

    /// <inheritdoc />
    static JobType IParsable<JobType>.Parse(string s, IFormatProvider? provider) => Parse(s);

    private static JobType ParseCore(string s) =>
        IdentifierRules.ValidateDotted(s, MaxLength) is { } problem
            ? throw IdentifierRules.Invalid(nameof(JobType), s, problem, "value")
            : new JobType(s);

    /// <summary>Tries to parse a job type.</summary>
    /// <param name="value">The text.</param>
    /// <param name="result">The job type, or <c>default</c>.</param>
    /// <returns>Whether the text followed the naming rule.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out JobType result) => TryParseCore(value, out result);

    /// <inheritdoc />
    static bool IParsable<JobType>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out JobType result) => TryParseCore(s, out result);

    private static bool TryParseCore([NotNullWhen(true)] string? s, out JobType result)
    {
        bool valid = IdentifierRules.ValidateDotted(s, MaxLength) is null;
        result = valid ? new JobType(s!) : default;
        return valid;
    }

    /// <summary>Returns the job type's text, or an empty string for <c>default</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => _value ?? string.Empty;
}
