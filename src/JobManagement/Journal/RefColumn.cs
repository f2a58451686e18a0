namespace JobManagement;

/// <summary>
/// The references of one kind that the in-memory journal's entries point at (event id texts, attribute sets, streams'
/// job ids), in chunks of small arrays; an entry holds a value's index instead of a reference. The same object
/// stored again soon after (a worker's name, a shared attribute set) gets the same index back, so it takes one slot.
/// </summary>
/// <remarks>
/// Chunks stay under the large-object-heap threshold: a young collection copies a chunk of 8-byte slots at little cost,
/// while large arrays would count towards the budget that sets off full collections. Never shrinks (the journal is
/// append-only). Not thread-safe: the journal's lock guards it.
/// </remarks>
/// <typeparam name="T">The kind of reference.</typeparam>
internal sealed class RefColumn<T>
    where T : class
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift; // 4,096 references, 32 KB: never a large object
    private const int ChunkMask = ChunkSize - 1;
    private const int Recent = 8; // how many recently stored objects are recognised when stored again

    private readonly T?[] _recent = new T?[Recent];
    private readonly int[] _recentIndex = new int[Recent];
    private T[][] _chunks = [new T[16]];
    private int _count;
    private int _nextRecent;

    /// <summary>Gets how many slots are used.</summary>
    public int Count => _count;

    /// <summary>Gets the value stored at <paramref name="index"/>.</summary>
    /// <param name="index">An index <see cref="Add"/> returned.</param>
    public T this[int index] => _chunks[index >> ChunkShift][index & ChunkMask];

    /// <summary>Gets the value at <paramref name="index"/>, or null for -1 (what <see cref="Add"/> returns for null).</summary>
    /// <param name="index">An index <see cref="Add"/> returned, or -1.</param>
    /// <returns>The value, or null.</returns>
    public T? AtOrNull(int index) => index < 0 ? null : this[index];

    /// <summary>Stores a value (the same object as one stored recently gets that one's index); -1 for null.</summary>
    /// <param name="value">The value.</param>
    /// <returns>Its index.</returns>
    public int Add(T? value)
    {
        if (value is null)
        {
            return -1;
        }

        for (int i = 0; i < Recent; i++)
        {
            if (ReferenceEquals(_recent[i], value))
            {
                return _recentIndex[i];
            }
        }

        int index = Append(value);
        _recent[_nextRecent] = value;
        _recentIndex[_nextRecent] = index;
        _nextRecent = (_nextRecent + 1) % Recent;
        return index;
    }

    /// <summary>Stores a value in a slot of its own (for values never stored twice, such as a stream's job id).</summary>
    /// <param name="value">The value.</param>
    /// <returns>Its index.</returns>
    public int Append(T value)
    {
        int index = _count;
        int chunk = index >> ChunkShift;
        int offset = index & ChunkMask;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        T[]? target = _chunks[chunk];
        if (target is null)
        {
            target = _chunks[chunk] = new T[ChunkSize];
        }
        else if (offset == target.Length)
        {
            // Only the first chunk grows (a small journal stays small); the later ones are made full size.
            Array.Resize(ref _chunks[chunk], Math.Min(target.Length * 2, ChunkSize));
            target = _chunks[chunk];
        }

        target[offset] = value;
        _count = index + 1;
        return index;
    }
}
