namespace JobManagement;

/// <summary>
/// The in-memory journal's entries, in journal order, in fixed-size chunks. A full chunk is
/// large enough for the large-object heap, so entries kept there are never copied by a
/// collection, and growing never copies earlier chunks. The first chunk grows like a list, so an
/// empty or small journal stays small. Not thread-safe: the owning journal holds its lock.
/// </summary>
internal sealed class StoredEntries
{
    private const int ChunkShift = 11;
    private const int ChunkSize = 1 << ChunkShift; // 2,048 entries of 128 bytes: a large-object-heap array (≥ 85,000 bytes)
    private const int ChunkMask = ChunkSize - 1;

    /// <summary>Gets the size in bytes of a full chunk (a test keeps it on the large-object heap, at least 85,000 bytes).</summary>
    public static int ChunkBytes => ChunkSize * System.Runtime.CompilerServices.Unsafe.SizeOf<StoredEntry>();

    private StoredEntry[][] _chunks = [new StoredEntry[16]];
    private int _count;

    public int Count => _count;

    public ref readonly StoredEntry this[int index] => ref _chunks[index >> ChunkShift][index & ChunkMask];

    /// <summary>Adds an entry and returns its index.</summary>
    public int Add(in StoredEntry entry)
    {
        int index = _count;
        int chunk = index >> ChunkShift;
        int offset = index & ChunkMask;
        if (chunk == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        StoredEntry[]? target = _chunks[chunk];
        if (target is null)
        {
            target = _chunks[chunk] = new StoredEntry[ChunkSize];
        }
        else if (offset == target.Length)
        {
            // Only the first chunk grows; the later ones are made full size.
            Array.Resize(ref _chunks[chunk], Math.Min(target.Length * 2, ChunkSize));
            target = _chunks[chunk];
        }

        target[offset] = entry;
        _count = index + 1;
        return index;
    }
}
