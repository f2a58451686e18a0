using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace JobManagement;

/// <summary>
/// The stable identity of one job. Generated ids are UUIDv7 strings (time-ordered, so database
/// indexes stay append-friendly); callers may also supply natural keys such as
/// <c>order-42-fulfillment</c>: 1–128 ASCII letters, digits or <c>- _ . : @</c>.
/// </summary>
/// <remarks>
/// <c>default(JobId)</c> is not a valid id: every API that takes one rejects it, and
/// <see cref="Value"/> throws. Instances are immutable and thread-safe; equality is ordinal.
/// </remarks>
[JsonConverter(typeof(IdentifierJsonConverter<JobId>))]
public readonly record struct JobId : IParsable<JobId>
{
    /// <summary>The longest accepted id, in characters.</summary>
    public const int MaxLength = 128;

    private const string UnroutedValue = "$unrouted";

    private const string BatchPrefix = "$batch:";

    private const string DedupePrefix = "$dedupe:";

    private readonly string? _value;

    private JobId(string value) => _value = value;

    /// <summary>
    /// The journal stream that records events which matched no job when they arrived. Jobs created
    /// later adopt matching events from it. It is never a job: it has no plan and no state.
    /// </summary>
    public static JobId Unrouted { get; } = new(UnroutedValue);

    /// <summary>Gets the id as text.</summary>
    /// <exception cref="InvalidOperationException">The instance is <c>default</c>.</exception>
    public string Value => _value ?? throw new InvalidOperationException("default(JobId) is not a valid job id.");

    /// <summary>Gets a value indicating whether this is <c>default(JobId)</c>, which is not a valid id.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Gets a value indicating whether this is the <see cref="Unrouted"/> stream.</summary>
    public bool IsUnrouted => string.Equals(_value, UnroutedValue, StringComparison.Ordinal);

    /// <summary>
    /// Gets a value indicating whether this is a batch's stream (<c>$batch:{batchId}</c>), which holds the batch's
    /// submission. Like <see cref="Unrouted"/>, it is never a job: the <c>$</c> cannot appear in a job's id.
    /// </summary>
    public bool IsBatch => _value is not null && _value.StartsWith(BatchPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Gets a value indicating whether this is a dedupe key's stream (<c>$dedupe:{digest}</c>), which holds the claims that
    /// decide, across every node sharing the journal, which job a job type's dedupe key names. It is never a job.
    /// </summary>
    public bool IsDedupe => _value is not null && _value.StartsWith(DedupePrefix, StringComparison.Ordinal);

    /// <summary>Gets a value indicating whether this names a stream that is not a job (unrouted, a batch's, or a dedupe key's).</summary>
    public bool IsReservedStream => IsUnrouted || IsBatch || IsDedupe;

    /// <summary>The journal stream of a batch: it holds the batch's submission entry, the batch's commit point.</summary>
    /// <param name="batchId">The batch.</param>
    /// <returns>The stream's id.</returns>
    internal static JobId ForBatch(BatchId batchId) => new(BatchPrefix + batchId.Value);

    /// <summary>The journal stream of a job type's dedupe key: the SHA-256 of the type and the key (a key may be 1,024 characters long).</summary>
    /// <param name="jobType">The job type.</param>
    /// <param name="key">The dedupe key.</param>
    /// <returns>The stream's id.</returns>
    internal static JobId ForDedupe(JobType jobType, string key)
    {
        byte[] digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{jobType.Value}\n{key}"));
        return new(DedupePrefix + Convert.ToHexStringLower(digest));
    }

    /// <summary>Creates a new time-ordered (UUIDv7) id.</summary>
    /// <param name="timeProvider">The clock for the id's time component; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>A new id.</returns>
    public static JobId New(TimeProvider? timeProvider = null) =>
        new(Guid.CreateVersion7((timeProvider ?? TimeProvider.System).GetUtcNow()).ToString());

    /// <summary>An id whose text was a valid id already (the in-memory journal keeps stream ids as their strings).</summary>
    internal static JobId FromTrusted(string value) => new(value);

    /// <summary>An id made of a UUID, formatted as <see cref="New"/> formats it (no validation needed).</summary>
    internal static JobId FromUuid(Guid uuid) => new(uuid.ToString());

    /// <summary>Parses a job id.</summary>
    /// <param name="value">The text.</param>
    /// <returns>The id.</returns>
    /// <exception cref="ArgumentException">The text is not a valid job id; the message says why.</exception>
    public static JobId Parse(string value) => ParseCore(value);

    /// <inheritdoc />
    static JobId IParsable<JobId>.Parse(string s, IFormatProvider? provider) => Parse(s);

    private static JobId ParseCore(string s) =>
        IdentifierRules.ValidateKey(s, MaxLength) is { } problem && !IsStreamName(s)
            ? throw IdentifierRules.Invalid(nameof(JobId), s, problem, "value")
            : new JobId(s);

    /// <summary>Tries to parse a job id.</summary>
    /// <param name="value">The text.</param>
    /// <param name="result">The id, or <c>default</c>.</param>
    /// <returns>Whether the text was a valid id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out JobId result) => TryParseCore(value, out result);

    /// <inheritdoc />
    static bool IParsable<JobId>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out JobId result) => TryParseCore(s, out result);

    private static bool TryParseCore([NotNullWhen(true)] string? s, out JobId result)
    {
        bool valid = IdentifierRules.ValidateKey(s, MaxLength) is null || IsStreamName(s);
        result = valid ? new JobId(s!) : default;
        return valid;
    }

    // Journals read stream ids back with TryParse: the reserved streams must parse too.
    private static bool IsStreamName(string? s) =>
        s == UnroutedValue
        || (s is not null && s.StartsWith(BatchPrefix, StringComparison.Ordinal) && BatchId.TryParse(s[BatchPrefix.Length..], out _))
        || (s is not null && s.Length == DedupePrefix.Length + 64 && s.StartsWith(DedupePrefix, StringComparison.Ordinal) && IsLowerHex(s.AsSpan(DedupePrefix.Length)));

    private static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Returns the id's text, or an empty string for <c>default</c>.</summary>
    /// <returns>The id's text.</returns>
    public override string ToString() => _value ?? string.Empty;
}
