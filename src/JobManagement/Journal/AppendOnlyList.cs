namespace JobManagement;

/// <summary>
/// A list that only grows, whose snapshots cost nothing: a snapshot is a view of the first
/// <c>n</c> items of the current array, and items before <c>n</c> are never written again (growing
/// copies into a new array and leaves the old one to the views that hold it). Amortised O(1) append,
/// where a copy-on-write array costs O(n) per append. Writers must be serialised by the owner.
/// </summary>
internal sealed class AppendOnlyList<T>
{
    private T[] _items = new T[4];
    private int _count;
    private IReadOnlyList<T>? _snapshot; // boxed once per change, not once per lookup

    public void Add(T item)
    {
        if (_count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[_count] = item;
        _count++;
        _snapshot = null;
    }

    public IReadOnlyList<T> Snapshot() => _snapshot ??= new ArraySegment<T>(_items, 0, _count);
}
