namespace JobManagement;

/// <summary>
/// The in-memory journal's map from an event id to the latest entry that carries it (older ones are chained through
/// <see cref="StoredEntry.PreviousWithSameEventId"/>). It keeps no ids: a slot holds an entry's index and the id's
/// hash, and a lookup compares the id with the entry's own.
/// </summary>
/// <remarks>
/// A <c>Dictionary</c> keyed by the id kept a copy of each id (40 bytes an entry with <see cref="StoredEventId"/> as the
/// key), and its arrays grew with every event. A slot here is 8 bytes. Entries are never removed (the journal is
/// append-only), so open addressing with linear probing needs no tombstones; the hashes are seeded per process, so
/// ids chosen from outside cannot be made to share a run of slots.
/// </remarks>
internal sealed class EventIdIndex(StoredEntries entries)
{
    private const int InitialSlots = 16;

    private Slot[] _slots = new Slot[InitialSlots];
    private int _count;

    /// <summary>Gets how many distinct ids the index holds.</summary>
    public int Count => _count;

    /// <summary>The index of the latest entry with <paramref name="id"/>, or -1 when no entry has it.</summary>
    public int Latest(in StoredEventId id)
    {
        int hash = id.GetHashCode();
        int mask = _slots.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            Slot slot = _slots[i];
            if (slot.EntryPlusOne == 0)
            {
                return -1;
            }

            if (slot.Hash == hash && entries[slot.EntryPlusOne - 1].StoredId.Equals(id))
            {
                return slot.EntryPlusOne - 1;
            }
        }
    }

    /// <summary>Makes entry <paramref name="index"/> the latest with <paramref name="id"/>, which it carries.</summary>
    public void SetLatest(in StoredEventId id, int index)
    {
        if ((_count + 1) * 2 > _slots.Length)
        {
            Grow();
        }

        int hash = id.GetHashCode();
        int mask = _slots.Length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask)
        {
            ref Slot slot = ref _slots[i];
            if (slot.EntryPlusOne == 0)
            {
                slot = new Slot(hash, index + 1);
                _count++;
                return;
            }

            if (slot.Hash == hash && entries[slot.EntryPlusOne - 1].StoredId.Equals(id))
            {
                slot = new Slot(hash, index + 1);
                return;
            }
        }
    }

    private void Grow()
    {
        // At most half full: a miss (every new id) ends at an empty slot after a short run.
        Slot[] old = _slots;
        var slots = new Slot[old.Length * 2];
        int mask = slots.Length - 1;
        foreach (Slot slot in old)
        {
            if (slot.EntryPlusOne == 0)
            {
                continue;
            }

            int i = slot.Hash & mask;
            while (slots[i].EntryPlusOne != 0)
            {
                i = (i + 1) & mask;
            }

            slots[i] = slot;
        }

        _slots = slots;
    }

    private readonly record struct Slot(int Hash, int EntryPlusOne);
}
