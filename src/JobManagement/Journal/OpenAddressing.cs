namespace JobManagement;

/// <summary>A slot of an open-addressing table in native memory: its key's hash, and whether it holds anything.</summary>
internal interface IHashSlot
{
    /// <summary>Gets the hash of the key the slot holds.</summary>
    int Hash { get; }

    /// <summary>Gets a value indicating whether the slot holds nothing.</summary>
    bool IsEmpty { get; }
}

/// <summary>
/// What the in-memory journal's two open-addressing tables (<see cref="EventIdIndex"/>, <see cref="StreamIndex"/>) share:
/// linear probing over a power-of-two block of slots that is never deleted from, so growing is a plain rehash by the
/// hashes the slots keep.
/// </summary>
internal static class OpenAddressing
{
    /// <summary>
    /// A block twice as long holding every slot of <paramref name="old"/>, each placed by its hash; <paramref name="old"/>
    /// is freed (nothing may hold a reference into it: the tables' callers keep indexes, under the journal's lock).
    /// </summary>
    public static NativeBlock<TSlot> Grow<TSlot>(NativeBlock<TSlot> old)
        where TSlot : unmanaged, IHashSlot
    {
        var slots = new NativeBlock<TSlot>(checked(old.Length * 2));
        int mask = slots.Length - 1;
        for (int o = 0; o < old.Length; o++)
        {
            TSlot slot = old[o];
            if (slot.IsEmpty)
            {
                continue;
            }

            int i = slot.Hash & mask;
            while (!slots[i].IsEmpty)
            {
                i = (i + 1) & mask;
            }

            slots[i] = slot;
        }

        old.Dispose();
        return slots;
    }
}
