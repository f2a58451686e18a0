using System.Runtime.InteropServices;

namespace JobManagement;

/// <summary>
/// A key to one-or-many values map that stores a single value without a list, because most keys
/// (event ids, correlation values) have exactly one. Not thread-safe: callers hold a lock.
/// </summary>
internal sealed class MultiMap<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    private readonly Dictionary<TKey, object> _map;

    public MultiMap(IEqualityComparer<TKey>? comparer = null) => _map = new Dictionary<TKey, object>(comparer);

    public void Add(TKey key, TValue value)
    {
        // One hash and probe for a new key (the usual case for event ids), not a lookup then an insert.
        ref object? slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_map, key, out bool exists);
        if (!exists)
        {
            slot = value;
        }
        else if (slot is List<TValue> list)
        {
            list.Add(value);
        }
        else
        {
            slot = new List<TValue>(2) { (TValue)slot!, value };
        }
    }

    public bool ContainsKey(TKey key) => _map.ContainsKey(key);

    /// <summary>Appends the values for a key, in insertion order, to <paramref name="destination"/>.</summary>
    public void CopyTo(TKey key, List<TValue> destination)
    {
        if (!_map.TryGetValue(key, out object? existing))
        {
            return;
        }

        if (existing is List<TValue> list)
        {
            destination.AddRange(list);
        }
        else
        {
            destination.Add((TValue)existing);
        }
    }

    /// <summary>Returns the values for a key, in insertion order (a copy; a shared empty list when none).</summary>
    public IReadOnlyList<TValue> Get(TKey key)
    {
        if (!_map.TryGetValue(key, out object? existing))
        {
            return [];
        }

        return existing is List<TValue> list ? list.ToArray() : [(TValue)existing];
    }

    /// <summary>Returns the first value for a key that matches, without allocating.</summary>
    public TValue? Find<TState>(TKey key, TState state, Func<TValue, TState, bool> match)
    {
        if (!_map.TryGetValue(key, out object? existing))
        {
            return null;
        }

        if (existing is not List<TValue> list)
        {
            var single = (TValue)existing;
            return match(single, state) ? single : null;
        }

        foreach (TValue value in list)
        {
            if (match(value, state))
            {
                return value;
            }
        }

        return null;
    }
}
