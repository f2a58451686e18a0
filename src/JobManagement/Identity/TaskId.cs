using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace JobManagement;

/// <summary>
/// Names a logical task inside a job (for example <c>charge-card</c>): 1–128 ASCII letters,
/// digits or <c>- _ . : @</c>. Optional wherever it appears.
/// </summary>
/// <remarks><c>default(TaskId)</c> is not a valid id. Immutable, thread-safe, ordinal equality.</remarks>
[JsonConverter(typeof(IdentifierJsonConverter<TaskId>))]
public readonly record struct TaskId : IParsable<TaskId>
{
    /// <summary>The longest accepted id, in characters.</summary>
    public const int MaxLength = 128;

    private readonly string? _value;

    private TaskId(string value) => _value = value;

    /// <summary>Gets the id as text.</summary>
    /// <exception cref="InvalidOperationException">The instance is <c>default</c>.</exception>
    public string Value => _value ?? throw new InvalidOperationException("default(TaskId) is not a valid task id.");

    /// <summary>Gets a value indicating whether this is <c>default(TaskId)</c>, which is not a valid id.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Parses a task id.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentException">The text is not a valid task id; the message says why.</exception>
    public static TaskId Parse(string value) => ParseCore(value);

    /// <inheritdoc />
    static TaskId IParsable<TaskId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    private static TaskId ParseCore(string s) =>
        IdentifierRules.ValidateKey(s, MaxLength) is { } problem
            ? throw IdentifierRules.Invalid(nameof(TaskId), s, problem, "value")
            : new TaskId(s);

    /// <summary>Tries to parse a task id.</summary>
    /// <param name="value">The text.</param>
    /// <param name="result">The id, or <c>default</c>.</param>
    /// <returns>Whether the text was a valid id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out TaskId result) => TryParseCore(value, out result);

    /// <inheritdoc />
    static bool IParsable<TaskId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out TaskId result) => TryParseCore(s, out result);

    private static bool TryParseCore([NotNullWhen(true)] string? s, out TaskId result)
    {
        bool valid = IdentifierRules.ValidateKey(s, MaxLength) is null;
        result = valid ? new TaskId(s!) : default;
        return valid;
    }

    /// <summary>Returns the id's text, or an empty string for <c>default</c>.</summary>
    /// <returns>The id's text.</returns>
    public override string ToString() => _value ?? string.Empty;
}
