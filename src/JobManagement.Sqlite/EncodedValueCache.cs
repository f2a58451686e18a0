using System.Diagnostics.CodeAnalysis;

namespace JobManagement.Sqlite;

/// <summary>
/// A small direct-mapped cache of values decoded from stored UTF-8 bytes (stream ids, event types, attribute
/// sets), keyed by those bytes: rows repeat them, and the values are immutable, so entries can share one
/// instance and skip the decode. A row's bytes are still verified by its checksum before any lookup counts.
/// Not thread-safe.
/// </summary>
/// <typeparam name="T">The decoded value.</typeparam>
internal sealed class EncodedValueCache<T>
{
    private const int MaxKeyLength = 2_048;

    private readonly byte[]?[] _keys;

    private readonly T[] _values;

    public EncodedValueCache(int size)
    {
        _keys = new byte[]?[size];
        _values = new T[size];
    }

    public bool TryGet(ReadOnlySpan<byte> key, [MaybeNullWhen(false)] out T value)
    {
        int slot = Slot(key);
        if (_keys[slot] is { } stored && key.SequenceEqual(stored))
        {
            value = _values[slot];
            return true;
        }

        value = default;
        return false;
    }

    public void Add(ReadOnlySpan<byte> key, T value)
    {
        if (key.Length <= MaxKeyLength)
        {
            int slot = Slot(key);
            _keys[slot] = key.ToArray();
            _values[slot] = value;
        }
    }

    /// <summary>The cached value for the bytes, or the one <paramref name="parse"/> makes of their text (then cached).</summary>
    public T GetOrParse<TState>(ReadOnlySpan<byte> key, TState state, Func<string, TState, T> parse)
    {
        if (TryGet(key, out T? cached))
        {
            return cached;
        }

        T value = parse(System.Text.Encoding.UTF8.GetString(key), state);
        Add(key, value);
        return value;
    }

    private int Slot(ReadOnlySpan<byte> key)
    {
        var hash = default(HashCode);
        hash.AddBytes(key);
        return (hash.ToHashCode() & int.MaxValue) % _keys.Length;
    }
}
