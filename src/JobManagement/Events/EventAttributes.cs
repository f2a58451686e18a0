using System.Diagnostics;
using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace JobManagement;

/// <summary>
/// An immutable set of string key/value pairs carried by an event (used for correlation) or held
/// by a job as its correlation values. Keys are sorted ordinally, so equality, hashing and JSON
/// output are the same on every machine and culture.
/// </summary>
/// <remarks>
/// Keys: 1–64 ASCII letters, digits or <c>- _ . :</c>; keys beginning with <c>job.</c> are
/// reserved for the engine. Values: any string up to 1,024 characters. At most 64 pairs.
/// Thread-safe. <see cref="Empty"/> is the value to use for "none".
/// </remarks>
[JsonConverter(typeof(EventAttributesJsonConverter))]
[SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix", Justification = "Named for what it holds in the domain; a Dictionary suffix would read as mutable.")]
public sealed class EventAttributes : IReadOnlyDictionary<string, string>, IEquatable<EventAttributes>
{
    /// <summary>The most pairs one set may hold.</summary>
    public const int MaxCount = 64;

    /// <summary>The longest accepted key, in characters.</summary>
    public const int MaxKeyLength = 64;

    /// <summary>The longest accepted value, in characters.</summary>
    public const int MaxValueLength = 1024;

    /// <summary>The prefix reserved for keys the engine writes.</summary>
    public const string ReservedPrefix = "job.";

    private readonly KeyValuePair<string, string>[] _items;

    private EventAttributes(KeyValuePair<string, string>[] items) => _items = items;

    /// <summary>Gets the empty set.</summary>
    public static EventAttributes Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _items.Length;

    /// <inheritdoc />
    public IEnumerable<string> Keys => _items.Select(static pair => pair.Key);

    /// <inheritdoc />
    public IEnumerable<string> Values => _items.Select(static pair => pair.Value);

    /// <inheritdoc />
    public string this[string key] =>
        TryGetValue(key, out string? value) ? value : throw new KeyNotFoundException($"No attribute '{key}'.");

    /// <summary>Creates a set from pairs, validating every key and value.</summary>
    /// <param name="pairs">The pairs; a key may appear once.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ArgumentException">A key or value is invalid, or a key repeats; the message names it.</exception>
    public static EventAttributes Of(params IEnumerable<(string Key, string Value)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return Create(pairs.Select(static pair => KeyValuePair.Create(pair.Key, pair.Value)), allowReserved: false);
    }

    /// <summary>Creates a set from a dictionary or any sequence of pairs, validating every key and value.</summary>
    /// <param name="pairs">The pairs; a key may appear once.</param>
    /// <returns>The set.</returns>
    /// <exception cref="ArgumentException">A key or value is invalid, or a key repeats; the message names it.</exception>
    public static EventAttributes From(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return pairs as EventAttributes ?? Create(pairs, allowReserved: false);
    }

    /// <summary>Returns a copy with one more pair.</summary>
    /// <param name="key">The key, which must not be present yet.</param>
    /// <param name="value">The value.</param>
    /// <returns>The new set.</returns>
    public EventAttributes With(string key, string value) =>
        Create(_items.Append(KeyValuePair.Create(key, value)), allowReserved: false);

    /// <inheritdoc />
    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        int index = IndexOf(key);
        value = index >= 0 ? _items[index].Value : null;
        return index >= 0;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, string>>)_items).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public bool Equals(EventAttributes? other) =>
        other is not null && (ReferenceEquals(this, other) || _items.AsSpan().SequenceEqual(other._items));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EventAttributes);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        HashCode hash = default;
        foreach (KeyValuePair<string, string> pair in _items)
        {
            hash.Add(pair.Key, StringComparer.Ordinal);
            hash.Add(pair.Value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the pairs as <c>{k=v, …}</c>, for diagnostics.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => "{" + string.Join(", ", _items.Select(static p => $"{p.Key}={p.Value}")) + "}";

    /// <summary>The pairs, sorted by key, without allocating an enumerator.</summary>
    internal ReadOnlySpan<KeyValuePair<string, string>> AsSpan() => _items;

    /// <summary>The same set without <paramref name="key"/>: a valid, sorted set stays both, so nothing is checked again.</summary>
    internal EventAttributes Without(string key)
    {
        int index = -1;
        for (int i = 0; i < _items.Length && index < 0; i++)
        {
            index = string.Equals(_items[i].Key, key, StringComparison.Ordinal) ? i : -1;
        }

        if (index < 0)
        {
            return this;
        }

        if (_items.Length == 1)
        {
            return Empty;
        }

        var items = new KeyValuePair<string, string>[_items.Length - 1];
        _items.AsSpan(0, index).CopyTo(items);
        _items.AsSpan(index + 1).CopyTo(items.AsSpan(index));
        return new EventAttributes(items);
    }

    /// <summary>Creates a set that may use reserved keys: only the engine writes those.</summary>
    internal static EventAttributes CreateTrusted(IEnumerable<KeyValuePair<string, string>> pairs) => Create(pairs, allowReserved: true);

    /// <summary>As <see cref="CreateTrusted"/>, keeping the given array (validated and sorted in place) instead of copying it: the caller must not touch it afterwards.</summary>
    internal static EventAttributes CreateTrustedOwning(KeyValuePair<string, string>[] items) => CreateOwning(items, allowReserved: true);

    /// <summary>
    /// A set of the engine's own facts (<see cref="ExecutionFacts"/>), keeping the given array: the keys are the engine's
    /// reserved constants, passed in ordinal order, so only the values are checked (a claim writes one of these, and checking
    /// constant keys character by character, then sorting them, was most of its cost). The caller must not touch the array.
    /// </summary>
    internal static EventAttributes CreateEngineOwning(KeyValuePair<string, string>[] items)
    {
        for (int i = 0; i < items.Length; i++)
        {
            Debug.Assert(i == 0 || string.CompareOrdinal(items[i - 1].Key, items[i].Key) < 0, "keys in ordinal order, each once");
            Debug.Assert(IdentifierRules.ValidateKey(items[i].Key, MaxKeyLength) is null, "a valid key");
            if (items[i].Value is not { } value || value.Length > MaxValueLength)
            {
                throw new ArgumentException($"Invalid attributes: {Validate(items[i].Key, items[i].Value, allowReserved: true)}.", nameof(items));
            }
        }

        return items.Length == 0 ? Empty : new EventAttributes(items);
    }

    /// <summary>Validates the pairs without creating a set; returns the first problem, or null.</summary>
    internal static string? Validate(string key, string? value, bool allowReserved)
    {
        if (IdentifierRules.ValidateKey(key, MaxKeyLength) is { } keyProblem)
        {
            return $"attribute key '{key}' {keyProblem}";
        }

        if (!allowReserved && key.StartsWith(ReservedPrefix, StringComparison.Ordinal))
        {
            return $"attribute key '{key}' uses the reserved prefix '{ReservedPrefix}'";
        }

        if (value is null)
        {
            return $"attribute '{key}' has a null value";
        }

        return value.Length > MaxValueLength
            ? $"attribute '{key}' has a value of {value.Length} characters; at most {MaxValueLength} are allowed"
            : null;
    }

    private static EventAttributes Create(IEnumerable<KeyValuePair<string, string>> pairs, bool allowReserved) => CreateOwning([.. pairs], allowReserved);

    private static EventAttributes CreateOwning(KeyValuePair<string, string>[] pairs, bool allowReserved)
    {
        KeyValuePair<string, string>[] items = pairs;
        if (items.Length == 0)
        {
            return Empty;
        }

        if (items.Length > MaxCount)
        {
            throw new ArgumentException($"At most {MaxCount} attributes are allowed (got {items.Length}).", nameof(pairs));
        }

        foreach (KeyValuePair<string, string> pair in items)
        {
            if (Validate(pair.Key, pair.Value, allowReserved) is { } problem)
            {
                throw new ArgumentException($"Invalid attributes: {problem}.", nameof(pairs));
            }
        }

        Array.Sort(items, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (int i = 1; i < items.Length; i++)
        {
            if (string.Equals(items[i - 1].Key, items[i].Key, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Invalid attributes: key '{items[i].Key}' appears more than once.", nameof(pairs));
            }
        }

        return new EventAttributes(items);
    }

    private int IndexOf(string key)
    {
        int low = 0;
        int high = _items.Length - 1;
        while (low <= high)
        {
            int middle = low + ((high - low) >> 1);
            int order = string.CompareOrdinal(_items[middle].Key, key);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return -1;
    }
}
